/*
 * <ladder-recommendations>: Ladder's embeddable widget. How to climb the ladder of
 * co-production from a project's current rung, within its budget, time and access needs.
 *
 * One classic script, no framework, no build step, nothing fetched but the API:
 *
 *   <script src="https://ladder.example.org/widget/ladder.js" defer></script>
 *   <ladder-recommendations current-rung="consultation" budget-gbp="5000"></ladder-recommendations>
 *
 * Attributes (each constraint is the API field, lowercase with hyphens):
 *   api-base      where the HTTP API is; default: where this script was loaded from
 *   api-key       a publishable key (recommend only, limited to your portal's origins;
 *                 `python -m gateway.keys create --publishable ...`), sent as a Bearer token
 *   current-rung  where the project is now; without it the form asks
 *   target-rung, budget-gbp, weeks, participants, mode, access-needs (space or comma
 *                 separated), lived-experience, payment-rate-gbp-per-hour, limit
 *                 initial values of the form, read when the element is first shown
 *   heading-level the level of the widget's own heading (1 to 4, default 2)
 *   lang          "cy" for Welsh; otherwise inherited from the page; English by default
 *
 * Everything renders inside an open shadow root, so the host page's CSS cannot reach the
 * widget and the widget's cannot leak out. API text is always set as text, never as HTML.
 * Events (bubbling, composed): "ladder-results" (detail: the API's answer) and
 * "ladder-error" (detail: {kind, status, message}).
 */
(() => {
  "use strict";

  const ELEMENT = "ladder-recommendations";
  if (customElements.get(ELEMENT)) return; // loaded twice: the first definition stays

  const SCRIPT_URL = document.currentScript ? document.currentScript.src : "";
  // The script is served at <base>/widget/ladder.js, so the API is one folder up.
  const DEFAULT_API_BASE = SCRIPT_URL ? new URL("../", SCRIPT_URL).href : new URL("/", location.href).href;
  const REQUEST_TIMEOUT_MS = 20000;

  const RUNGS = ["coercion", "educating", "informing", "consultation", "engagement", "co-design", "co-production"];
  const MODES = ["in-person", "online", "hybrid"];
  const ACCESS_NEEDS = [
    "bsl", "captions", "easy-read", "large-print", "hearing-loop",
    "step-free", "personal-assistant", "quiet-space", "paper",
  ];
  const PIECES = ["culture", "structure", "practice", "review"];

  // All text the widget shows. The Welsh was written by the developers, not by a Welsh
  // speaker: it needs a review before it is relied on (see the README).
  const MESSAGES = {
    en: {
      title: "Ways to climb the ladder of co-production",
      intro: "Tell us what you have to work with. We suggest involvement methods that fit, what they cost, and a plan.",
      projectLegend: "Your project",
      currentRung: "Where your project is now",
      currentRungIs: "Your project is at: {rung}",
      chooseRung: "Choose a rung",
      targetRung: "Where you want to get to",
      targetDefault: "The next rung up",
      constraintsLegend: "What you have to work with",
      constraintsHint: "Leave a box empty if it does not apply.",
      budget: "Budget in pounds (£)",
      budgetHint: "For example, 5000",
      weeks: "Weeks available",
      weeksHint: "For example, 12",
      participants: "How many people will take part",
      participantsHint: "For example, 20",
      modeLegend: "How people will take part",
      modeAny: "Any way",
      accessLegend: "Access needs to meet",
      accessHint: "Choose every need that the people taking part have.",
      submit: "Show ways to climb",
      loading: "Looking for methods that fit…",
      resultsHeading: "Ways to reach {rung}",
      found: "Methods that fit: {n}.",
      none: "No methods were found for these choices.",
      whyItFits: "Why it fits",
      tradeOffs: "Trade-offs",
      time: "Time: {n} weeks",
      cost: "Estimated cost: {amount}",
      costItems: "What the cost is made of",
      modes: "Ways to take part: {list}",
      sources: "Sources:",
      planHeading: "A plan, rung by rung",
      organisationHeading: "What your organisation can change",
      nothingFitsHeading: "Nothing fits these constraints",
      whyNot: "Why not",
      whatWouldChange: "What would change it",
      errorHeading: "There is a problem",
      errorNetwork: "Could not reach the Ladder service. Check your connection and try again.",
      errorTimeout: "The Ladder service took too long to answer. Try again.",
      errorServer: "The Ladder service had a problem (error {status}). Try again later.",
      errorUnavailable: "The Ladder service is not answering just now (error {status}). Try again in a few minutes.",
      errorRefused: "The Ladder service refused the request (error {status}).",
      errorInvalid: "Some answers need changing.",
      errorReference: "Reference: {id}",
      notNumber: "Enter a number, like {example}",
      notWholeNumber: "Enter a whole number, like {example}",
      noRungChosen: "Choose where your project is now",
      rung: {
        coercion: "coercion", educating: "educating", informing: "informing",
        consultation: "consultation", engagement: "engagement", "co-design": "co-design",
        "co-production": "co-production",
      },
      mode: { "in-person": "In person", online: "Online", hybrid: "Hybrid (in person and online together)" },
      access: {
        bsl: "British Sign Language (BSL) interpreters",
        captions: "Live captions",
        "easy-read": "Easy Read documents",
        "large-print": "Large print",
        "hearing-loop": "Hearing loop",
        "step-free": "Step-free venue",
        "personal-assistant": "Personal assistants",
        "quiet-space": "Quiet space",
        paper: "Paper, for people who are not online",
      },
      piece: { culture: "Culture", structure: "Structure", practice: "Practice", review: "Review" },
      field: {
        current_rung: "Where your project is now", target_rung: "Where you want to get to",
        budget_gbp: "Budget", weeks: "Weeks available", participants: "Number of people",
        mode: "How people will take part", access_needs: "Access needs",
        lived_experience: "Lived experience", language: "Language", limit: "Number of methods",
        payment_rate_gbp_per_hour: "Payment rate", answers: "Answers", description: "Description",
        body: "Request",
      },
    },
    cy: {
      title: "Ffyrdd o ddringo ysgol cydgynhyrchu",
      intro: "Dywedwch wrthym beth sydd gennych i weithio gydag ef. Byddwn yn awgrymu dulliau cynnwys sy'n addas, faint maen nhw'n ei gostio, a chynllun.",
      projectLegend: "Eich prosiect",
      currentRung: "Ble mae eich prosiect nawr",
      currentRungIs: "Mae eich prosiect ar y gris: {rung}",
      chooseRung: "Dewiswch ris",
      targetRung: "Ble rydych chi eisiau cyrraedd",
      targetDefault: "Y gris nesaf i fyny",
      constraintsLegend: "Beth sydd gennych i weithio gydag ef",
      constraintsHint: "Gadewch flwch yn wag os nad yw'n berthnasol.",
      budget: "Cyllideb mewn punnoedd (£)",
      budgetHint: "Er enghraifft, 5000",
      weeks: "Nifer yr wythnosau sydd ar gael",
      weeksHint: "Er enghraifft, 12",
      participants: "Faint o bobl fydd yn cymryd rhan",
      participantsHint: "Er enghraifft, 20",
      modeLegend: "Sut bydd pobl yn cymryd rhan",
      modeAny: "Unrhyw ffordd",
      accessLegend: "Anghenion mynediad i'w diwallu",
      accessHint: "Dewiswch bob angen sydd gan y bobl sy'n cymryd rhan.",
      submit: "Dangos ffyrdd o ddringo",
      loading: "Wrthi'n chwilio am ddulliau addas…",
      resultsHeading: "Ffyrdd o gyrraedd {rung}",
      found: "Dulliau sy'n addas: {n}.",
      none: "Ni chafwyd hyd i ddulliau ar gyfer y dewisiadau hyn.",
      whyItFits: "Pam mae'n addas",
      tradeOffs: "Pethau i'w hystyried",
      time: "Amser: {n} wythnos",
      cost: "Cost amcangyfrifedig: {amount}",
      costItems: "Beth sydd yn y gost",
      modes: "Ffyrdd o gymryd rhan: {list}",
      sources: "Ffynonellau:",
      planHeading: "Cynllun, gris wrth ris",
      organisationHeading: "Beth all eich sefydliad ei newid",
      nothingFitsHeading: "Does dim byd yn addas o fewn y cyfyngiadau hyn",
      whyNot: "Pam ddim",
      whatWouldChange: "Beth fyddai'n newid hyn",
      errorHeading: "Mae problem",
      errorNetwork: "Methu cysylltu â gwasanaeth Ladder. Gwiriwch eich cysylltiad a rhowch gynnig arall arni.",
      errorTimeout: "Cymerodd gwasanaeth Ladder ormod o amser i ateb. Rhowch gynnig arall arni.",
      errorServer: "Cafodd gwasanaeth Ladder broblem (gwall {status}). Rhowch gynnig arall arni yn nes ymlaen.",
      errorUnavailable: "Nid yw gwasanaeth Ladder yn ateb ar hyn o bryd (gwall {status}). Rhowch gynnig arall arni ymhen ychydig funudau.",
      errorRefused: "Gwrthododd gwasanaeth Ladder y cais (gwall {status}).",
      errorInvalid: "Mae angen newid rhai atebion.",
      errorReference: "Cyfeirnod: {id}",
      notNumber: "Rhowch rif, fel {example}",
      notWholeNumber: "Rhowch rif cyfan, fel {example}",
      noRungChosen: "Dewiswch ble mae eich prosiect nawr",
      rung: {
        coercion: "gorfodaeth", educating: "addysgu", informing: "hysbysu",
        consultation: "ymgynghori", engagement: "ymgysylltu", "co-design": "cyd-ddylunio",
        "co-production": "cydgynhyrchu",
      },
      mode: { "in-person": "Wyneb yn wyneb", online: "Ar-lein", hybrid: "Hybrid (wyneb yn wyneb ac ar-lein gyda'i gilydd)" },
      access: {
        bsl: "Dehonglwyr Iaith Arwyddion Prydain (BSL)",
        captions: "Capsiynau byw",
        "easy-read": "Dogfennau Hawdd eu Deall",
        "large-print": "Print bras",
        "hearing-loop": "Dolen sain",
        "step-free": "Lleoliad heb risiau",
        "personal-assistant": "Cynorthwywyr personol",
        "quiet-space": "Lle tawel",
        paper: "Papur, i bobl nad ydynt ar-lein",
      },
      piece: { culture: "Diwylliant", structure: "Strwythur", practice: "Arfer", review: "Adolygu" },
      field: {
        current_rung: "Ble mae eich prosiect nawr", target_rung: "Ble rydych chi eisiau cyrraedd",
        budget_gbp: "Cyllideb", weeks: "Wythnosau sydd ar gael", participants: "Nifer y bobl",
        mode: "Sut bydd pobl yn cymryd rhan", access_needs: "Anghenion mynediad",
        lived_experience: "Profiad bywyd", language: "Iaith", limit: "Nifer y dulliau",
        payment_rate_gbp_per_hour: "Cyfradd dalu", answers: "Atebion", description: "Disgrifiad",
        body: "Cais",
      },
    },
  };

  function languageOf(element) {
    const holder = element.closest("[lang]");
    const code = (holder ? holder.getAttribute("lang") : document.documentElement.lang || "").toLowerCase();
    return code.split("-")[0] === "cy" ? "cy" : "en";
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  // Answers are read defensively: a field the API leaves out never breaks the rendering.
  const list = (value) => (Array.isArray(value) ? value : []);
  const text = (value) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
  const number = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);

  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /* ---- Talking to the API (the demo page uses this too) ---- */

  class LadderApiError extends Error {
    constructor(kind, status, details) {
      super(`${kind} ${status}`);
      this.kind = kind; // "network" | "timeout" | "invalid" | "refused" | "unavailable" | "server"
      this.status = status;
      this.serverMessage = (details && details.message) || "";
      this.fields = list(details && details.fields).filter((f) => f && typeof f === "object");
      this.requestId = (details && details.requestId) || "";
    }
  }

  async function callApi(url, body, key) {
    const controller = new AbortController();
    const headers = body === undefined ? { accept: "application/json" }
      : { accept: "application/json", "content-type": "application/json" };
    if (key) headers.authorization = `Bearer ${key}`;
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      let response;
      try {
        response = await fetch(url, {
          method: body === undefined ? "GET" : "POST",
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: "omit",
          signal: controller.signal,
        });
      } catch (failure) {
        throw new LadderApiError(controller.signal.aborted ? "timeout" : "network", 0);
      }
      let data = null;
      try {
        data = await response.json();
      } catch (notJson) {
        data = null;
      }
      if (response.ok && data && typeof data === "object") return data;
      const error = (data && typeof data.error === "object" && data.error) || {};
      const status = response.status;
      const kind = response.ok ? "server"
        : status === 422 || status === 413 ? "invalid"
        : status === 503 || status === 502 || status === 504 ? "unavailable"
        : status >= 500 ? "server" : "refused";
      throw new LadderApiError(kind, status, {
        message: text(error.message),
        fields: error.field_violations,
        requestId: text(error.request_id) || response.headers.get("x-request-id") || "",
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The error as sentences in the reader's language; the field problems as given. */
  function describeError(error, lang) {
    const t = MESSAGES[lang];
    const kind = error instanceof LadderApiError ? error.kind : "network";
    const status = error instanceof LadderApiError ? error.status : 0;
    const headline = {
      network: t.errorNetwork, timeout: t.errorTimeout, invalid: t.errorInvalid,
      refused: t.errorRefused, unavailable: t.errorUnavailable, server: t.errorServer,
    }[kind];
    const lines = [format(headline, { status })];
    if (kind === "refused" && error.serverMessage) lines.push(error.serverMessage);
    if (kind === "invalid" && !(error.fields || []).length && error.serverMessage) lines.push(error.serverMessage);
    const fields = (error.fields || []).map((violation) => {
      const path = text(violation.field);
      const top = path.split(/[./]/)[0];
      return { path, top, label: t.field[top] || path, description: text(violation.description) };
    });
    const reference = error.requestId ? format(t.errorReference, { id: error.requestId }) : "";
    return { kind, status, lines, fields, reference };
  }

  /* ---- Styles: isolated in the shadow root ---- */

  const STYLES = `
    :host {
      all: initial !important;
      display: block !important;
      visibility: visible !important;
      opacity: 1 !important;
      position: static !important;
      box-sizing: border-box !important;
      max-width: 100% !important;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif !important;
      font-size: medium !important;
      line-height: 1.5 !important;
      color: #0b0c0c !important;
      background: #ffffff !important;
      text-align: start !important;
    }
    :host([hidden]) { display: none !important; }
    *, *::before, *::after { box-sizing: border-box; }
    .ladder { position: relative; padding: 1em; border: 1px solid #6f777b; border-radius: 0.25em; overflow-wrap: anywhere; }
    h1, h2, h3, h4, h5, h6 { margin: 0.8em 0 0.4em; line-height: 1.25; color: #0b0c0c; }
    .title { font-size: 1.5em; margin-top: 0; }
    .results-heading, .section-heading { font-size: 1.25em; }
    .method-heading { font-size: 1.125em; margin: 0 0 0.25em; }
    p { margin: 0 0 0.75em; }
    form { margin: 0; }
    fieldset { border: 0; padding: 0; margin: 0 0 1.25em; min-width: 0; }
    legend { font-weight: 700; font-size: 1.125em; padding: 0; margin-bottom: 0.4em; }
    fieldset fieldset legend { font-size: 1em; }
    .field { margin-bottom: 1em; }
    label { display: block; font-weight: 600; margin-bottom: 0.2em; }
    .hint { color: #484949; margin: 0 0 0.3em; }
    input[type="text"], select {
      font: inherit; color: #0b0c0c; background: #ffffff;
      border: 2px solid #0b0c0c; border-radius: 0; padding: 0.3em 0.4em;
      width: 100%; max-width: 16em; min-height: 2.5em;
    }
    select { max-width: 22em; }
    .choices { display: flex; flex-wrap: wrap; gap: 0.25em 1.5em; padding: 0; margin: 0; list-style: none; }
    .choice { display: flex; align-items: flex-start; gap: 0.5em; min-height: 2em; max-width: 100%; }
    .choice input { width: 1.5em; height: 1.5em; margin: 0.1em 0 0; flex: none; accent-color: #1d4f91; }
    .choice label { font-weight: 400; margin: 0; }
    button {
      font: inherit; font-weight: 700; color: #ffffff; background: #1d4f91;
      border: 2px solid #1d4f91; border-radius: 0.2em; padding: 0.5em 1em; min-height: 2.75em;
      cursor: pointer; max-width: 100%;
    }
    button:hover { background: #163d70; }
    button[aria-disabled="true"] { background: #484949; border-color: #484949; cursor: progress; }
    :focus-visible { outline: 3px solid #0b0c0c; outline-offset: 2px; box-shadow: 0 0 0 6px #ffdd00; }
    [tabindex="-1"]:focus { outline: none; box-shadow: none; }
    [tabindex="-1"]:focus-visible { outline: 3px solid #0b0c0c; }
    a { color: #1d4f91; text-decoration: underline; }
    a:hover { color: #0b0c0c; }
    .field-error { color: #a50e0e; font-weight: 700; margin: 0 0 0.3em; }
    [aria-invalid="true"] { border-color: #a50e0e; border-width: 3px; }
    .status { margin: 1em 0 0; font-weight: 600; }
    /* Read out by screen readers; shown on screen only while loading, because the
       results or the problem box show the same news. */
    .status:not([data-visible]) {
      position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
      overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0;
    }
    .error-summary { border: 4px solid #a50e0e; padding: 0.75em 1em; margin: 1em 0; }
    .error-summary h3, .error-summary h4 { margin-top: 0; color: #0b0c0c; }
    .error-summary ul { margin: 0.5em 0; padding-inline-start: 1.25em; }
    .error-summary a { color: #a50e0e; font-weight: 700; }
    .methods { padding: 0; margin: 0; list-style: none; counter-reset: method; }
    .method { border-top: 1px solid #6f777b; padding: 0.75em 0; }
    .method:last-child { border-bottom: 1px solid #6f777b; }
    .facts { padding: 0; margin: 0 0 0.5em; list-style: none; }
    .label { font-weight: 700; margin: 0.5em 0 0.2em; }
    ul.plain { margin: 0 0 0.5em; padding-inline-start: 1.25em; }
    details { margin: 0.25em 0 0.5em; }
    summary { cursor: pointer; color: #1d4f91; text-decoration: underline; }
    .nothing-fits { border-inline-start: 6px solid #1d4f91; padding-inline-start: 0.75em; margin: 1em 0; }
    @media (forced-colors: active) {
      button, input[type="text"], select { border: 2px solid ButtonText; }
      :focus-visible { outline: 3px solid Highlight; }
    }
  `;

  let sharedSheet = null;
  function styleSheetFor(root) {
    // A constructed sheet is shared by every widget on the page and needs no inline-style
    // permission, so it also works on portals with a strict Content-Security-Policy.
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(STYLES);
      }
      root.adoptedStyleSheets = [sharedSheet];
      return null;
    }
    return h("style", {}, STYLES);
  }

  /* ---- The element ---- */

  const CONTROL_FOR_FIELD = {
    current_rung: "current-rung", target_rung: "target-rung", budget_gbp: "budget",
    weeks: "weeks", participants: "participants", mode: "mode", access_needs: "access-needs",
  };

  class LadderRecommendations extends HTMLElement {
    static get observedAttributes() {
      return ["current-rung", "lang", "heading-level"];
    }

    /** The message table for a language ("en" or "cy"). */
    static messages(lang) {
      return MESSAGES[lang === "cy" ? "cy" : "en"];
    }

    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this._lang = "en";
      this._answer = null; // the last answer shown, kept to re-render on a language change
      this._error = null;
      this._busy = false;
      this._built = false;
    }

    connectedCallback() {
      if (!this._built) {
        this._lang = languageOf(this);
        this._build(this._initialValues());
        this._built = true;
      }
      if (!this.hasAttribute("lang")) {
        // Follow a page that switches language without reloading.
        this._langWatch = new MutationObserver(() => this._relanguage());
        this._langWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
      }
    }

    disconnectedCallback() {
      if (this._langWatch) this._langWatch.disconnect();
      this._langWatch = null;
    }

    attributeChangedCallback(name, before, after) {
      if (!this._built || before === after) return;
      if (name === "lang") {
        this._relanguage();
      } else if (name === "current-rung") {
        const values = this._formValues();
        values.currentRung = this._presetRung();
        if (values.targetRung && RUNGS.indexOf(values.targetRung) <= RUNGS.indexOf(values.currentRung)) {
          values.targetRung = "";
        }
        this._answer = null;
        this._error = null;
        this._build(values);
      } else if (name === "heading-level") {
        this._build(this._formValues());
      }
    }

    get apiBase() {
      const given = (this.getAttribute("api-base") || "").trim();
      if (!given) return DEFAULT_API_BASE;
      const absolute = new URL(given, document.baseURI).href;
      return absolute.endsWith("/") ? absolute : absolute + "/";
    }

    /** Ask for recommendations with what the form holds now (as pressing the button does). */
    submit() {
      return this._submit();
    }

    _relanguage() {
      const lang = languageOf(this);
      if (lang === this._lang) return;
      const values = this._formValues();
      this._lang = lang;
      this._build(values);
    }

    _presetRung() {
      const rung = (this.getAttribute("current-rung") || "").trim().toLowerCase();
      return rung;
    }

    _initialValues() {
      const attribute = (name) => (this.getAttribute(name) || "").trim();
      return {
        currentRung: this._presetRung(),
        targetRung: attribute("target-rung").toLowerCase(),
        budget: attribute("budget-gbp"),
        weeks: attribute("weeks"),
        participants: attribute("participants"),
        mode: attribute("mode").toLowerCase(),
        accessNeeds: attribute("access-needs").toLowerCase().split(/[\s,]+/).filter(Boolean),
      };
    }

    _formValues() {
      const root = this.shadowRoot;
      const value = (id) => {
        const control = root.getElementById(id);
        return control ? control.value.trim() : "";
      };
      const checked = root.querySelector('input[name="mode"]:checked');
      return {
        currentRung: this._presetRung() || value("current-rung"),
        targetRung: value("target-rung"),
        budget: value("budget"),
        weeks: value("weeks"),
        participants: value("participants"),
        mode: checked ? checked.value : "",
        accessNeeds: [...root.querySelectorAll('input[name="access-needs"]:checked')].map((box) => box.value),
      };
    }

    _headingLevel(offset) {
      const base = Number.parseInt(this.getAttribute("heading-level") || "2", 10);
      const level = Number.isInteger(base) && base >= 1 && base <= 4 ? base : 2;
      return `h${Math.min(6, level + offset)}`;
    }

    _build(values) {
      const t = MESSAGES[this._lang];
      const root = this.shadowRoot;
      root.replaceChildren();
      const style = styleSheetFor(root);
      if (style) root.append(style);

      const preset = this._presetRung();
      const current = values.currentRung;
      const currentIndex = RUNGS.indexOf(current);

      const textField = (id, label, hint, inputMode, initial) => h("div", { class: "field" },
        h("label", { for: id }, label),
        h("p", { class: "hint", id: `${id}-hint` }, hint),
        h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
        h("input", {
          type: "text", id, name: id, inputmode: inputMode, autocomplete: "off", spellcheck: "false",
          "aria-describedby": `${id}-hint`, value: initial || "",
        }));

      const currentRungField = preset
        ? h("p", { id: "current-rung-text" }, format(t.currentRungIs, { rung: t.rung[preset] || preset }))
        : h("div", { class: "field" },
          h("label", { for: "current-rung" }, t.currentRung),
          h("p", { class: "field-error", id: "current-rung-error", hidden: true }),
          h("select", { id: "current-rung", name: "current-rung" },
            h("option", { value: "" }, t.chooseRung),
            RUNGS.map((rung) => h("option", { value: rung, selected: rung === current }, t.rung[rung]))));

      const targets = currentIndex >= 0 ? RUNGS.slice(currentIndex + 1) : RUNGS.slice(1);
      const targetField = h("div", { class: "field" },
        h("label", { for: "target-rung" }, t.targetRung),
        h("p", { class: "field-error", id: "target-rung-error", hidden: true }),
        h("select", { id: "target-rung", name: "target-rung" },
          h("option", { value: "" }, t.targetDefault),
          targets.map((rung) => h("option", { value: rung, selected: rung === values.targetRung }, t.rung[rung]))));

      const choice = (type, name, value, label, isChecked) => h("li", { class: "choice" },
        h("input", { type, name, id: `${name}-${value || "any"}`, value, checked: isChecked }),
        h("label", { for: `${name}-${value || "any"}` }, label));

      const modeField = h("fieldset", { id: "mode", "aria-describedby": "mode-error" },
        h("legend", {}, t.modeLegend),
        h("p", { class: "field-error", id: "mode-error", hidden: true }),
        h("ul", { class: "choices" },
          choice("radio", "mode", "", t.modeAny, !MODES.includes(values.mode)),
          MODES.map((mode) => choice("radio", "mode", mode, t.mode[mode], values.mode === mode))));

      const accessField = h("fieldset", { id: "access-needs", "aria-describedby": "access-needs-hint access-needs-error" },
        h("legend", {}, t.accessLegend),
        h("p", { class: "hint", id: "access-needs-hint" }, t.accessHint),
        h("p", { class: "field-error", id: "access-needs-error", hidden: true }),
        h("ul", { class: "choices" },
          ACCESS_NEEDS.map((need) => choice("checkbox", "access-needs", need, t.access[need], values.accessNeeds.includes(need)))));

      const form = h("form", { novalidate: true },
        h("fieldset", {},
          h("legend", {}, t.projectLegend),
          currentRungField,
          targetField),
        h("fieldset", { "aria-describedby": "constraints-hint" },
          h("legend", {}, t.constraintsLegend),
          h("p", { class: "hint", id: "constraints-hint" }, t.constraintsHint),
          textField("budget", t.budget, t.budgetHint, "decimal", values.budget),
          textField("weeks", t.weeks, t.weeksHint, "numeric", values.weeks),
          textField("participants", t.participants, t.participantsHint, "numeric", values.participants),
          modeField,
          accessField),
        h("button", { type: "submit", id: "submit" }, t.submit));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this._submit();
      });

      this._status = h("p", { class: "status", role: "status", "aria-live": "polite", id: "status" });
      this._output = h("div", { class: "output", id: "output" });
      root.append(h("div", { class: "ladder", lang: this._lang },
        h(this._headingLevel(0), { class: "title" }, t.title),
        h("p", {}, t.intro),
        form,
        this._status,
        this._output));

      if (this._error) this._showError(this._error, false);
      else if (this._answer) this._showAnswer(this._answer, false);
    }

    /* Reading the form into a request; problems a browser can see are reported here. */
    _request() {
      const values = this._formValues();
      const problems = [];
      const body = {};
      if (!RUNGS.includes(values.currentRung) && !this._presetRung()) {
        problems.push({ field: "current_rung", description: MESSAGES[this._lang].noRungChosen });
      }
      body.current_rung = values.currentRung;
      if (values.targetRung) body.target_rung = values.targetRung;
      const numeric = (raw, field, whole, example) => {
        if (!raw) return;
        const cleaned = raw.replace(/^£/, "").replace(/[,\s]/g, "");
        const parsed = Number(cleaned);
        const t = MESSAGES[this._lang];
        if (!cleaned || !Number.isFinite(parsed)) {
          problems.push({ field, description: format(t.notNumber, { example }) });
        } else if (whole && !Number.isInteger(parsed)) {
          problems.push({ field, description: format(t.notWholeNumber, { example }) });
        } else {
          body[field] = parsed; // the API judges the range, and names the field if it is wrong
        }
      };
      numeric(values.budget, "budget_gbp", false, "5000");
      numeric(values.weeks, "weeks", true, "12");
      numeric(values.participants, "participants", true, "20");
      if (values.mode) body.mode = values.mode;
      if (values.accessNeeds.length) body.access_needs = values.accessNeeds;
      const livedExperience = (this.getAttribute("lived-experience") || "").split(/[\s,]+/).filter(Boolean);
      if (livedExperience.length) body.lived_experience = livedExperience;
      const rate = Number((this.getAttribute("payment-rate-gbp-per-hour") || "").trim() || Number.NaN);
      if (Number.isFinite(rate)) body.payment_rate_gbp_per_hour = rate;
      const limit = Number.parseInt(this.getAttribute("limit") || "5", 10);
      body.limit = Number.isInteger(limit) ? limit : 5;
      // English is the API's default; the language is sent only when it is not English.
      if (this._lang !== "en") body.language = this._lang;
      return { body, problems };
    }

    async _submit() {
      if (this._busy) return;
      const t = MESSAGES[this._lang];
      this._clearFieldErrors();
      const { body, problems } = this._request();
      if (problems.length) {
        this._showError(new LadderApiError("invalid", 0, { fields: problems }), true);
        return;
      }
      this._setBusy(true);
      this._say(t.loading, true);
      try {
        const answer = await callApi(new URL("v1/recommendations", this.apiBase).href, body,
          (this.getAttribute("api-key") || "").trim());
        this._error = null;
        this._answer = answer;
        this._showAnswer(answer, true);
        this.dispatchEvent(new CustomEvent("ladder-results", { detail: answer, bubbles: true, composed: true }));
      } catch (error) {
        this._showError(error, true);
      } finally {
        this._setBusy(false);
      }
    }

    _say(message, loading) {
      this._status.textContent = message;
      this._status.toggleAttribute("data-visible", Boolean(loading));
    }

    _setBusy(busy) {
      this._busy = busy;
      const button = this.shadowRoot.getElementById("submit");
      if (button) button.setAttribute("aria-disabled", busy ? "true" : "false");
      this._output.setAttribute("aria-busy", busy ? "true" : "false");
    }

    _clearFieldErrors() {
      for (const node of this.shadowRoot.querySelectorAll(".field-error")) {
        node.hidden = true;
        node.textContent = "";
      }
      for (const node of this.shadowRoot.querySelectorAll("[aria-invalid]")) {
        node.removeAttribute("aria-invalid");
        const describedBy = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
        if (describedBy.length) node.setAttribute("aria-describedby", describedBy.join(" "));
        else node.removeAttribute("aria-describedby");
      }
    }

    _focusControl(top) {
      const control = this.shadowRoot.getElementById(CONTROL_FOR_FIELD[top] || "");
      if (!control) return;
      const target = control.tagName === "FIELDSET" ? control.querySelector("input") : control;
      if (target) target.focus();
    }

    _showError(error, announce) {
      this._error = error;
      this._answer = null;
      const t = MESSAGES[this._lang];
      const described = describeError(error, this._lang);
      const root = this.shadowRoot;
      const items = described.fields.map((problem) => {
        const message = problem.description ? `${problem.label}: ${problem.description}` : problem.label;
        const controlId = CONTROL_FOR_FIELD[problem.top];
        const errorNode = controlId && root.getElementById(`${controlId}-error`);
        if (errorNode) {
          errorNode.textContent = problem.description || problem.label;
          errorNode.hidden = false;
          const control = root.getElementById(controlId);
          if (control.tagName !== "FIELDSET") control.setAttribute("aria-invalid", "true");
          const describedBy = new Set((control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
          describedBy.add(`${controlId}-error`);
          control.setAttribute("aria-describedby", [...describedBy].join(" "));
          const link = h("a", { href: `#${controlId}` }, message);
          link.addEventListener("click", (event) => {
            event.preventDefault();
            this._focusControl(problem.top);
          });
          return h("li", {}, link);
        }
        return h("li", {}, message);
      });
      const summary = h("div", { class: "error-summary", tabindex: "-1", id: "error-summary" },
        h(this._headingLevel(1), {}, t.errorHeading),
        described.lines.map((line) => h("p", {}, line)),
        items.length ? h("ul", {}, items) : null,
        described.reference ? h("p", {}, described.reference) : null);
      this._output.replaceChildren(summary);
      const spoken = [t.errorHeading + ":", ...described.lines,
        ...described.fields.map((f) => (f.description ? `${f.label}: ${f.description}` : f.label))].join(" ");
      this._say(spoken);
      if (announce) {
        summary.focus();
        this.dispatchEvent(new CustomEvent("ladder-error", {
          detail: { kind: described.kind, status: described.status, message: spoken },
          bubbles: true, composed: true,
        }));
      }
    }

    _showAnswer(answer, announce) {
      const t = MESSAGES[this._lang];
      const lang = this._lang;
      const money = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", {
        style: "currency", currency: "GBP", maximumFractionDigits: 2, minimumFractionDigits: 0,
      });
      const rungName = (rung) => t.rung[text(rung)] || text(rung);
      const target = text(answer.target_rung);
      const recommendations = list(answer.recommendations).filter((r) => r && typeof r === "object");
      const names = new Map();
      for (const item of recommendations) {
        const method = item.method || {};
        if (text(method.id)) names.set(text(method.id), text(method.name) || text(method.id));
      }

      const heading = h(this._headingLevel(1), { class: "results-heading", tabindex: "-1", id: "results-heading" },
        target ? format(t.resultsHeading, { rung: rungName(target) }) : t.title);

      const methods = recommendations.map((item) => {
        const method = item.method && typeof item.method === "object" ? item.method : {};
        const cost = item.estimated_cost && typeof item.estimated_cost === "object" ? item.estimated_cost : {};
        const total = number(cost.total_gbp);
        const weeks = number(item.weeks);
        const modes = list(method.modes).map((mode) => t.mode[text(mode)] || text(mode)).filter(Boolean);
        const reasons = list(item.reasons).map(text).filter(Boolean);
        const tradeOffs = list(item.trade_offs).map(text).filter(Boolean);
        const costItems = list(cost.items).filter((entry) => entry && typeof entry === "object");
        const sources = list(method.sources).map(text).filter(isWebAddress);
        const facts = [
          weeks !== null ? h("li", {}, format(t.time, { n: weeks })) : null,
          total !== null ? h("li", {}, format(t.cost, { amount: money.format(total) })) : null,
          modes.length ? h("li", {}, format(t.modes, { list: modes.join(", ") })) : null,
        ].filter(Boolean);
        return h("li", { class: "method" },
          h(this._headingLevel(2), { class: "method-heading" }, text(method.name) || text(method.id)),
          text(method.summary) ? h("p", {}, text(method.summary)) : null,
          facts.length ? h("ul", { class: "facts" }, facts) : null,
          reasons.length ? [h("p", { class: "label" }, t.whyItFits), h("ul", { class: "plain" }, reasons.map((r) => h("li", {}, r)))] : null,
          tradeOffs.length ? [h("p", { class: "label" }, t.tradeOffs), h("ul", { class: "plain" }, tradeOffs.map((r) => h("li", {}, r)))] : null,
          costItems.length ? h("details", {},
            h("summary", {}, t.costItems),
            h("ul", { class: "plain" }, costItems.map((entry) => h("li", {},
              number(entry.gbp) !== null ? `${text(entry.item)}: ${money.format(entry.gbp)}` : text(entry.item))))) : null,
          sources.length ? h("p", {}, t.sources + " ",
            sources.map((url, index) => [index ? ", " : "", h("a", { href: url, rel: "noopener noreferrer" }, sourceLabel(url, sources))])) : null);
      });

      const plan = list(answer.plan).filter((step) => step && typeof step === "object");
      const planSection = plan.length ? [
        h(this._headingLevel(2), { class: "section-heading" }, t.planHeading),
        h("ol", { class: "plain" }, plan.map((step) => {
          const methodNames = list(step.method_ids).map((id) => names.get(text(id)) || text(id)).filter(Boolean);
          return h("li", {},
            h("strong", {}, rungName(step.rung) || "…"),
            methodNames.length ? `: ${methodNames.join(", ")}` : "",
            text(step.why) ? h("br") : null,
            text(step.why));
        })),
      ] : null;

      const actions = list(answer.organisation_actions).filter((action) => action && text(action.action));
      const byPiece = PIECES.concat(actions.map((a) => text(a.piece)).filter((p) => !PIECES.includes(p)))
        .map((piece) => [piece, actions.filter((a) => text(a.piece) === piece)])
        .filter(([, items]) => items.length);
      const organisationSection = byPiece.length ? [
        h(this._headingLevel(2), { class: "section-heading" }, t.organisationHeading),
        h("ul", { class: "plain" }, byPiece.map(([piece, items]) => h("li", {},
          h("strong", {}, (t.piece[piece] || piece || "…") + ": "),
          items.map((a) => text(a.action)).join(" ")))),
      ] : null;

      const nothing = answer.nothing_fits && typeof answer.nothing_fits === "object" ? answer.nothing_fits : null;
      const whyNot = nothing ? list(nothing.reasons).map(text).filter(Boolean) : [];
      const wouldChange = nothing ? list(nothing.what_would_change_it).map(text).filter(Boolean) : [];
      const nothingSection = nothing ? h("div", { class: "nothing-fits" },
        h(this._headingLevel(2), { class: "section-heading" }, t.nothingFitsHeading),
        whyNot.length ? [h("p", { class: "label" }, t.whyNot), h("ul", { class: "plain" }, whyNot.map((r) => h("li", {}, r)))] : null,
        wouldChange.length ? [h("p", { class: "label" }, t.whatWouldChange), h("ul", { class: "plain" }, wouldChange.map((r) => h("li", {}, r)))] : null)
        : null;

      const count = format(t.found, { n: methods.length });
      this._output.replaceChildren(...[
        heading,
        h("p", {}, count),
        nothingSection,
        methods.length ? h("ol", { class: "methods" }, methods) : (nothing ? null : h("p", {}, t.none)),
        planSection,
        organisationSection].flat().filter(Boolean));
      this._say(nothing && !methods.length ? `${count} ${t.nothingFitsHeading}.` : count);
      if (announce) heading.focus();
    }
  }

  function isWebAddress(url) {
    try {
      return ["http:", "https:"].includes(new URL(url).protocol);
    } catch (notAnAddress) {
      return false;
    }
  }

  /** A source's site name; with the page's name too when two sources share a site, so no
   *  two links read the same but go to different places. */
  function sourceLabel(url, all) {
    const site = (address) => new URL(address).hostname.replace(/^www\./, "");
    const host = site(url);
    if (all.filter((other) => site(other) === host).length < 2) return host;
    const page = new URL(url).pathname.split("/").filter(Boolean).pop() || "";
    return page ? `${host}: ${decodeURIComponent(page).replace(/[-_]+/g, " ").replace(/\.\w+$/, "")}` : host;
  }

  // Shared with the demo page, so both talk to the API and report problems the same way.
  LadderRecommendations.tools = Object.freeze({ callApi, describeError, element: h, format, list, text });
  customElements.define(ELEMENT, LadderRecommendations);
})();
