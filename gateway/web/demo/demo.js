/*
 * The demo portal page: the classifier's questionnaire (GET /v1/questionnaire), the
 * classification (POST /v1/classifications), then <ladder-recommendations> for that rung.
 * It reuses the widget's tools and message table, so errors read the same in both.
 * "?lang=cy" shows it in Welsh; the questionnaire and summaries come from the API in
 * English for now.
 */
(() => {
  "use strict";

  // The Welsh was written by the developers, not by a Welsh speaker: it needs a review.
  const TEXT = {
    en: {
      pageTitle: "Ladder: where does your project stand?",
      skip: "Skip to the questionnaire",
      demo: "demo portal",
      switchTo: "cy",
      switchLabel: "Cymraeg",
      title: "Where does your project stand on the ladder of co-production?",
      intro: "Answer a few questions about how the people who use a service are involved in your project. Ladder places the project on the ladder, with the evidence, and then suggests ways to climb within your budget, time and access needs.",
      questionsHeading: "About your project",
      description: "Describe your project (optional)",
      descriptionHint: "A few sentences in your own words.",
      classify: "Place my project on the ladder",
      footer: "Ladder is open-source decision support for co-production in health and social care. Its suggestions are a starting point for a conversation with the people involved, not a decision.",
      loadingQuestions: "Loading the questionnaire…",
      questionnaireFailed: "The questionnaire could not be loaded.",
      questionnaireFallback: "You can still choose where your project is now, below, and see ways to climb.",
      noneOfThese: "None of these",
      classifying: "Placing your project on the ladder…",
      resultHeading: "Your project is at: {rung}",
      confidence: "Confidence: {percent}",
      evidenceHeading: "What your answers show",
      nextHeading: "To reach {rung}",
      conflictsHeading: "Answers that do not fit together",
      unansweredHeading: "Questions not answered",
      englishOnly: "",
    },
    cy: {
      pageTitle: "Ladder: ble mae eich prosiect yn sefyll?",
      skip: "Neidio i'r holiadur",
      demo: "porth arddangos",
      switchTo: "en",
      switchLabel: "English",
      title: "Ble mae eich prosiect ar ysgol cydgynhyrchu?",
      intro: "Atebwch ychydig o gwestiynau am sut mae'r bobl sy'n defnyddio gwasanaeth yn cymryd rhan yn eich prosiect. Mae Ladder yn gosod y prosiect ar yr ysgol, gyda'r dystiolaeth, ac yna'n awgrymu ffyrdd o ddringo o fewn eich cyllideb, eich amser a'ch anghenion mynediad.",
      questionsHeading: "Am eich prosiect",
      description: "Disgrifiwch eich prosiect (dewisol)",
      descriptionHint: "Ychydig o frawddegau yn eich geiriau eich hun.",
      classify: "Gosod fy mhrosiect ar yr ysgol",
      footer: "Mae Ladder yn gymorth penderfynu ffynhonnell agored ar gyfer cydgynhyrchu ym maes iechyd a gofal cymdeithasol. Man cychwyn ar gyfer sgwrs gyda'r bobl sy'n cymryd rhan yw ei awgrymiadau, nid penderfyniad.",
      loadingQuestions: "Wrthi'n llwytho'r holiadur…",
      questionnaireFailed: "Methu llwytho'r holiadur.",
      questionnaireFallback: "Gallwch ddewis o hyd ble mae eich prosiect nawr, isod, a gweld ffyrdd o ddringo.",
      noneOfThese: "Dim un o'r rhain",
      classifying: "Wrthi'n gosod eich prosiect ar yr ysgol…",
      resultHeading: "Mae eich prosiect ar y gris: {rung}",
      confidence: "Hyder: {percent}",
      evidenceHeading: "Beth mae eich atebion yn ei ddangos",
      nextHeading: "I gyrraedd {rung}",
      conflictsHeading: "Atebion nad ydynt yn cyd-fynd",
      unansweredHeading: "Cwestiynau heb eu hateb",
      englishOnly: "Mae'r cwestiynau, y crynodeb a'r dystiolaeth yn Saesneg yn unig am y tro.",
    },
  };

  const lang = new URLSearchParams(location.search).get("lang") === "cy" ? "cy" : "en";
  document.documentElement.lang = lang;
  const t = TEXT[lang];
  const byId = (id) => document.getElementById(id);
  const apiUrl = (path) => new URL(path, document.baseURI).href;

  function translateStaticText() {
    document.title = t.pageTitle;
    for (const node of document.querySelectorAll("[data-text]")) {
      const key = node.getAttribute("data-text");
      if (t[key]) node.textContent = t[key];
    }
    const switcher = byId("language-switch");
    switcher.textContent = t.switchLabel;
    switcher.setAttribute("lang", t.switchTo);
    switcher.setAttribute("hreflang", t.switchTo);
    switcher.setAttribute("href", `?lang=${t.switchTo}`);
  }

  customElements.whenDefined("ladder-recommendations").then((Widget) => start(Widget));

  async function start(Widget) {
    translateStaticText();
    const { callApi, describeError, element: h, format, list, text } = Widget.tools;
    // The gateway puts this portal's publishable key (LADDER_DEMO_KEY) in the page.
    const keyMeta = document.querySelector('meta[name="ladder-key"]');
    const demoKey = keyMeta ? keyMeta.content.trim() : "";
    if (demoKey) document.querySelector("ladder-recommendations").setAttribute("api-key", demoKey);
    const messages = Widget.messages(lang);
    const rungName = (rung) => messages.rung[text(rung)] || text(rung);
    const status = byId("page-status");
    const form = byId("questionnaire");
    const widget = document.querySelector("ladder-recommendations");
    const questionFieldsets = new Map(); // question id -> {fieldset, error, question}

    function showProblem(box, error, labelFor, focus) {
      const described = describeError(error, lang);
      const items = described.fields.map((problem) => {
        const target = labelFor(problem.path);
        const message = `${target ? target.label : problem.label}: ${problem.description}`;
        if (!target) return h("li", {}, message);
        if (target.error) {
          target.error.textContent = problem.description;
          target.error.hidden = false;
        }
        const link = h("a", { href: `#${target.focus.id}` }, message);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          target.focus.focus();
        });
        return h("li", {}, link);
      });
      box.replaceChildren(...[
        h("h2", {}, messages.errorHeading),
        described.lines.map((line) => h("p", {}, line)),
        items.length ? h("ul", {}, items) : null,
        described.reference ? h("p", {}, described.reference) : null].flat().filter(Boolean));
      box.hidden = false;
      say([messages.errorHeading + ":", ...described.lines].join(" "));
      if (focus) box.focus();
    }

    // Load the questionnaire; without it the widget still works, asking for the rung.
    const say = (message, loading) => {
      status.textContent = message;
      status.toggleAttribute("data-visible", Boolean(loading));
    };
    say(t.loadingQuestions, true);
    let questionnaire;
    try {
      questionnaire = await callApi(apiUrl("v1/questionnaire"), undefined, demoKey);
    } catch (error) {
      const box = byId("questionnaire-problem");
      showProblem(box, error, () => null, false);
      box.prepend(h("p", {}, t.questionnaireFailed));
      box.append(h("p", {}, t.questionnaireFallback));
      say(`${t.questionnaireFailed} ${t.questionnaireFallback}`);
      byId("climb").hidden = false;
      return;
    }
    say("");

    const questions = list(questionnaire.questions).filter((q) => q && text(q.id) && list(q.options).length);
    const container = byId("questions");
    if (t.englishOnly) container.append(h("p", { class: "hint", lang }, t.englishOnly));
    for (const question of questions) {
      const id = text(question.id);
      const multiple = question.multiple === true || question.kind === "multiple";
      const type = multiple ? "checkbox" : "radio";
      const hintId = `q-${id}-hint`;
      const errorId = `q-${id}-error`;
      const options = list(question.options).filter((option) => option && text(option.id));
      const choice = (value, label, help, extra) => {
        const inputId = `q-${id}-${value || "none"}`;
        const helpId = `${inputId}-hint`;
        return h("li", { class: "choice" },
          h("input", { type, id: inputId, name: `q-${id}`, value, "data-none": extra ? "true" : null,
            "aria-describedby": help ? helpId : null }),
          h("div", {},
            h("label", { for: inputId }, label),
            help ? h("p", { class: "hint", id: helpId }, help) : null));
      };
      const fieldset = h("fieldset", { id: `q-${id}`, "aria-describedby": [text(question.help) ? hintId : "", errorId].join(" ").trim() },
        h("legend", {}, text(question.text) || id),
        text(question.help) ? h("p", { class: "hint", id: hintId }, text(question.help)) : null,
        h("p", { class: "field-error", id: errorId, hidden: true }),
        h("ul", { class: "choices" },
          options.map((option) => choice(text(option.id), text(option.label) || text(option.id), text(option.help), false)),
          multiple ? choice("", t.noneOfThese, "", true) : null));
      if (multiple) {
        // "None of these" is an answer (an empty list); ticking it clears the others, and back.
        fieldset.addEventListener("change", (event) => {
          if (!event.target.checked) return;
          const none = event.target.getAttribute("data-none") === "true";
          for (const box of fieldset.querySelectorAll("input")) {
            if (box !== event.target && (box.getAttribute("data-none") === "true") !== none) box.checked = false;
          }
        });
      }
      questionFieldsets.set(id, { fieldset, error: fieldset.querySelector(".field-error"), question, multiple });
      container.append(fieldset);
    }
    form.hidden = false;

    function answers() {
      const chosen = {};
      for (const [id, { fieldset, multiple }] of questionFieldsets) {
        const ticked = [...fieldset.querySelectorAll("input:checked")];
        if (!ticked.length) continue; // unanswered: the classifier lowers its confidence
        if (multiple) chosen[id] = ticked.filter((box) => box.getAttribute("data-none") !== "true").map((box) => box.value);
        else chosen[id] = ticked[0].value;
      }
      return chosen;
    }

    function labelFor(path) {
      const [top, questionId] = path.split(/[./]/);
      if (top === "answers" && questionFieldsets.has(questionId)) {
        const { fieldset, error, question } = questionFieldsets.get(questionId);
        return { label: text(question.text) || questionId, error, focus: fieldset.querySelector("input") };
      }
      if (top === "description") return { label: t.description, error: null, focus: byId("description") };
      if (top === "answers") return { label: messages.field.answers, error: null, focus: container.querySelector("input") };
      return null;
    }

    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      const button = byId("classify");
      button.setAttribute("aria-disabled", "true");
      const problem = byId("classification-problem");
      problem.hidden = true;
      for (const { error } of questionFieldsets.values()) {
        error.hidden = true;
        error.textContent = "";
      }
      say(t.classifying, true);
      const body = { answers: answers() };
      const description = byId("description").value.trim();
      if (description) body.description = description;
      try {
        showClassification(await callApi(apiUrl("v1/classifications"), body, demoKey));
      } catch (error) {
        byId("classification").hidden = true;
        showProblem(problem, error, labelFor, true);
      } finally {
        busy = false;
        button.setAttribute("aria-disabled", "false");
      }
    });

    function showClassification(result) {
      const rung = text(result.rung);
      const section = byId("classification");
      const heading = byId("classification-heading");
      heading.textContent = format(t.resultHeading, { rung: rungName(rung) });
      const confidence = typeof result.confidence === "number" ? result.confidence : null;
      byId("classification-confidence").textContent = confidence === null ? ""
        : format(t.confidence, { percent: new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", { style: "percent" }).format(confidence) });
      byId("classification-summary").textContent = text(result.summary);

      const block = (title, items) => (items.length ? [h("h3", {}, title), h("ul", {}, items.map((item) => h("li", {}, item)))] : null);
      const evidence = list(result.evidence).map((item) => text(item && item.statement)).filter(Boolean);
      const missing = list(result.missing_for_next_rung).map(text).filter(Boolean);
      const conflicts = list(result.conflicts).map((item) => text(item && item.description)).filter(Boolean);
      const unanswered = list(result.unanswered).map((id) => {
        const known = questionFieldsets.get(text(id));
        return known ? text(known.question.text) || text(id) : text(id);
      }).filter(Boolean);
      byId("classification-details").replaceChildren(
        ...[block(t.evidenceHeading, evidence),
          text(result.next_rung) ? block(format(t.nextHeading, { rung: rungName(result.next_rung) }), missing) : null,
          block(t.conflictsHeading, conflicts),
          block(t.unansweredHeading, unanswered)].flat().filter(Boolean));
      section.hidden = false;
      say(`${heading.textContent}.`);

      if (rung) widget.setAttribute("current-rung", rung);
      byId("climb").hidden = false;
      heading.focus();
    }
  }
})();
