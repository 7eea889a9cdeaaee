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

{{/* Environment variables that come from Secrets or depend on the role. Call with
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
{{- if eq $w.role "service" }}
- name: LADDER_DATABASE_URL
  valueFrom:
{{- if $root.Values.postgresql.operator.enabled }}
    secretKeyRef: {name: {{ include "ladder.postgresqlName" $root }}-app, key: uri}
{{- else }}
    # Optional: without it the services use their built-in default.
    secretKeyRef: {name: {{ $secret }}, key: {{ $root.Values.secrets.keys.databaseUrl }}, optional: true}
{{- end }}
{{- end }}
{{- if eq $w.role "gateway" }}
- name: LADDER_API_KEYS_FILE
  value: /etc/ladder/api-keys/{{ $root.Values.secrets.keys.apiKeys }}
{{- if include "ladder.jwksConfigMap" $root }}
- name: LADDER_JWT_JWKS_FILE
  value: /etc/ladder/jwks/jwks.json
{{- end }}
{{- end }}
{{- if and $w.mountPostcodes (include "ladder.postcodesVolume" $root) }}
- name: LADDER_POSTCODE_FILE
  value: /etc/ladder/postcodes/{{ $root.Values.postcodes.fileName }}
{{- end }}
{{- end }}

{{/* Name of the ConfigMap holding jwks.json, or empty when there is none. */}}
{{- define "ladder.jwksConfigMap" -}}
{{- if .Values.config.jwt.existingConfigMap }}
{{- .Values.config.jwt.existingConfigMap }}
{{- else if .Values.config.jwt.jwks }}
{{- printf "%s-jwks" (include "ladder.fullname" .) }}
{{- end }}
{{- end }}

{{/* The postcode volume source as YAML, or empty when none is configured. */}}
{{- define "ladder.postcodesVolume" -}}
{{- if .Values.postcodes.existingConfigMap }}
configMap:
  name: {{ .Values.postcodes.existingConfigMap }}
{{- else if .Values.postcodes.volume }}
{{- toYaml .Values.postcodes.volume }}
{{- end }}
{{- end }}
