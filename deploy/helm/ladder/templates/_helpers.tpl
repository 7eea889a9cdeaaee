{{/* Names, labels and the per-workload settings shared by every template. */}}

{{- define "ladder.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-ladder", or just the release name when it already contains "ladder". */}}
{{- define "ladder.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ladder.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels. Call with (dict "root" $ "component" "<workload>"); the component
     is what tells the four workloads apart. */}}
{{- define "ladder.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ladder.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/* All labels. Same call as ladder.selectorLabels. */}}
{{- define "ladder.labels" -}}
helm.sh/chart: {{ include "ladder.chart" .root }}
{{ include "ladder.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: ladder
{{- end }}

{{- define "ladder.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "ladder.secretName" -}}
{{- default (printf "%s-secrets" (include "ladder.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "ladder.rabbitmqName" -}}
{{- printf "%s-rabbitmq" (include "ladder.fullname" .) }}
{{- end }}

{{- define "ladder.postgresqlName" -}}
{{- printf "%s-postgresql" (include "ladder.fullname" .) }}
{{- end }}

{{/* Names of the enabled workloads, as a YAML list. */}}
{{- define "ladder.enabledWorkloads" -}}
{{- $names := list }}
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- toYaml $names }}
{{- end }}

{{/* The settings of one workload: `defaults` deep-merged with its `services` entry,
     plus derived keys (name, fullname, scaler). Call with (list $ "<name>") and
     parse with fromYaml. One place, so every template sees the same answer. */}}
{{- define "ladder.workload" -}}
{{- $root := index . 0 }}
{{- $name := index . 1 }}
{{- $w := mergeOverwrite (deepCopy $root.Values.defaults) (deepCopy (index $root.Values.services $name)) }}
{{- if not (hasKey $root.Values.roles (toString $w.role)) }}
{{- fail (printf "services.%s.role must be one of %s" $name (keys $root.Values.roles | sortAlpha | join ", ")) }}
{{- end }}
{{- $_ := set $w "name" $name }}
{{- $_ := set $w "fullname" (printf "%s-%s" (include "ladder.fullname" $root) $name | trunc 63 | trimSuffix "-") }}
{{- /* Who sets the replica count: KEDA (nameko services, queue length), an HPA (CPU), or the chart. */}}
{{- $scaler := "" }}
{{- if and $root.Values.keda.enabled (eq $w.role "service") }}
{{- $scaler = "keda" }}
{{- else if $w.autoscaling.enabled }}
{{- $scaler = "hpa" }}
{{- end }}
{{- $_ := set $w "scaler" $scaler }}
{{- toYaml $w }}
{{- end }}

{{/* Environment variables that come from Secrets or depend on the workload. Call with
     (dict "root" $ "w" $w). Kubernetes expands $(VAR) from variables defined above it,
     which is how AMQP_URI is assembled from the operator's default-user Secret. */}}
{{- define "ladder.env" -}}
{{- $root := .root }}
{{- $w := .w }}
{{- $secret := include "ladder.secretName" $root }}
{{- if $root.Values.rabbitmq.operator.enabled }}
{{- $rmq := include "ladder.rabbitmqName" $root }}
- name: RABBITMQ_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ $rmq }}-default-user, key: username}
- name: RABBITMQ_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $rmq }}-default-user, key: password}
- name: AMQP_URI
  # The operator's password is URL-safe base64, so it needs no escaping here.
  value: "amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@{{ $rmq }}.{{ $root.Release.Namespace }}.svc:5672/"
{{- else }}
- name: AMQP_URI
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ $root.Values.secrets.keys.amqpUri }}}
{{- end }}
{{- if $w.database }}
- name: LADDER_DATABASE_URL
  valueFrom:
{{- if $root.Values.postgresql.operator.enabled }}
    secretKeyRef: {name: {{ include "ladder.postgresqlName" $root }}-app, key: uri}
{{- else }}
    # Required: the built-in default (SQLite under the read-only /app) cannot work here.
    secretKeyRef: {name: {{ $secret }}, key: {{ $root.Values.secrets.keys.databaseUrl }}}
{{- end }}
{{- end }}
{{- if eq $w.role "gateway" }}
{{- $auth := $root.Values.auth }}
- name: LADDER_API_KEYS_FILE
  value: /etc/ladder/api-keys/{{ $auth.keys.apiKeysFile }}
- name: LADDER_DEMO_KEY
  valueFrom:
    # Optional: no key in the Secret leaves the demo page without one.
    secretKeyRef: {name: {{ include "ladder.authSecretName" $root }}, key: {{ $auth.keys.demoKey }}, optional: true}
{{- /* JWT settings go to the gateway only: every process validates that issuer, audience
       and keys file come together, and only the gateway mounts the keys file. */}}
{{- if include "ladder.jwtEnabled" $root }}
- name: LADDER_JWT_ISSUER
  value: {{ $auth.jwt.issuer | quote }}
- name: LADDER_JWT_AUDIENCE
  value: {{ $auth.jwt.audience | quote }}
- name: LADDER_JWT_PUBLIC_KEYS_FILE
  value: /etc/ladder/jwt/{{ $auth.jwt.publicKeys.key }}
- name: LADDER_JWT_ORGANISATION_CLAIM
  value: {{ $auth.jwt.organisationClaim | quote }}
- name: LADDER_JWT_PERMISSIONS_CLAIM
  value: {{ $auth.jwt.permissionsClaim | quote }}
{{- end }}
{{- end }}
{{- if $w.mountPostcodes }}
{{- if $root.Values.postcodes.imagePath }}
- name: LADDER_POSTCODE_FILE
  value: {{ $root.Values.postcodes.imagePath | quote }}
{{- else if include "ladder.postcodesVolume" $root }}
- name: LADDER_POSTCODE_FILE
  value: /etc/ladder/postcodes/{{ $root.Values.postcodes.fileName }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ladder.authSecretName" -}}
{{- default (printf "%s-gateway-auth" (include "ladder.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* "true" when JWTs are configured, empty when not; fails on a partial set, which the
     gateway would refuse at start (better a failed install than a crash loop). */}}
{{- define "ladder.jwtEnabled" -}}
{{- $jwt := .Values.auth.jwt }}
{{- $k := $jwt.publicKeys }}
{{- $sources := list }}
{{- range $name := list "content" "existingConfigMap" "existingSecret" }}
{{- if index $k $name }}{{ $sources = append $sources (printf "auth.jwt.publicKeys.%s" $name) }}{{ end }}
{{- end }}
{{- if gt (len $sources) 1 }}
{{- fail (printf "give the JWT public keys once: %s are all set" (join ", " $sources)) }}
{{- end }}
{{- $given := list }}
{{- if $jwt.issuer }}{{ $given = append $given "auth.jwt.issuer" }}{{ end }}
{{- if $jwt.audience }}{{ $given = append $given "auth.jwt.audience" }}{{ end }}
{{- if $sources }}{{ $given = append $given "auth.jwt.publicKeys" }}{{ end }}
{{- if and $given (lt (len $given) 3) }}
{{- fail (printf "JWT settings are all or nothing: set auth.jwt.issuer, auth.jwt.audience and auth.jwt.publicKeys together (only %s given)" (join ", " $given)) }}
{{- end }}
{{- if eq (len $given) 3 }}true{{ end }}
{{- end }}

{{/* The JWT public keys volume source as YAML (gateway only). */}}
{{- define "ladder.jwtVolume" -}}
{{- $k := .Values.auth.jwt.publicKeys }}
{{- if $k.existingSecret }}
secret:
  secretName: {{ $k.existingSecret }}
  items: [{key: {{ $k.key }}, path: {{ $k.key }}}]
{{- else }}
configMap:
  name: {{ default (printf "%s-jwt" (include "ladder.fullname" .)) $k.existingConfigMap }}
  items: [{key: {{ $k.key }}, path: {{ $k.key }}}]
{{- end }}
{{- end }}

{{/* The postcode volume source as YAML, or empty when none is mounted (no source, or
     the file is inside the image). Fails when more than one source is given. */}}
{{- define "ladder.postcodesVolume" -}}
{{- $p := .Values.postcodes }}
{{- $sources := list }}
{{- range $name := list "existingClaim" "existingConfigMap" "volume" "imagePath" }}
{{- if index $p $name }}{{ $sources = append $sources (printf "postcodes.%s" $name) }}{{ end }}
{{- end }}
{{- if gt (len $sources) 1 }}
{{- fail (printf "give the postcode file one source: %s are all set" (join ", " $sources)) }}
{{- end }}
{{- if and $p.imagePath (not (hasPrefix "/" $p.imagePath)) }}
{{- fail (printf "postcodes.imagePath must be an absolute path in the image, not %q" $p.imagePath) }}
{{- end }}
{{- if $p.existingClaim }}
persistentVolumeClaim:
  claimName: {{ $p.existingClaim }}
  readOnly: true
{{- else if $p.existingConfigMap }}
configMap:
  name: {{ $p.existingConfigMap }}
{{- else if $p.volume }}
{{- toYaml $p.volume }}
{{- end }}
{{- end }}

{{/* Refuse a database URL that would lose or split data. Every classifier and matcher pod
     must share one database: with SQLite each pod would write its own file in its own
     emptyDir (the root filesystem is read-only), so replicas would answer from different
     data and all of it would die with the pod. The chart sees only a URL given in values;
     one in an existing Secret is the operator's to get right (see deploy/README.md). */}}
{{- define "ladder.checkDatabase" -}}
{{- $url := .Values.secrets.databaseUrl | default "" }}
{{- if and (hasPrefix "sqlite" $url) (not .Values.secrets.existingSecret) (not .Values.postgresql.operator.enabled) }}
{{- if not (hasPrefix "sqlite:////tmp/" $url) }}
{{- fail (printf "secrets.databaseUrl %q: the root filesystem is read-only, so a SQLite file can only live under /tmp (sqlite:////tmp/ladder.sqlite3); use PostgreSQL for anything but a trial" $url) }}
{{- end }}
{{- range $name, $_ := .Values.services }}
{{- $w := include "ladder.workload" (list $ $name) | fromYaml }}
{{- if and $w.enabled $w.database }}
{{- $most := $w.replicas }}
{{- if eq $w.scaler "keda" }}{{ $most = $.Values.keda.maxReplicaCount }}{{ else if eq $w.scaler "hpa" }}{{ $most = $w.autoscaling.maxReplicas }}{{ end }}
{{- if gt (int $most) 1 }}
{{- fail (printf "secrets.databaseUrl is SQLite but %s may run %d pods: each would keep its own file and answer from different data. Use PostgreSQL (secrets.databaseUrl or postgresql.operator.enabled), or one pod with no autoscaling" $name (int $most)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Values earlier versions of the chart read, now moved: fail rather than ignore them. */}}
{{- define "ladder.checkMovedValues" -}}
{{- if .Values.config.jwt }}
{{- fail "config.jwt moved to auth.jwt (issuer, audience, organisationClaim, permissionsClaim, publicKeys)" }}
{{- end }}
{{- if or .Values.secrets.apiKeys (index .Values.secrets.keys "apiKeys") }}
{{- fail "the API keys file moved to its own Secret: set auth.apiKeysFile (or auth.existingSecret and auth.keys.apiKeysFile) instead of secrets.apiKeys" }}
{{- end }}
{{- end }}
