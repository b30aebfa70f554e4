{{- define "passerelle.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "passerelle.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "passerelle.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "passerelle.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "passerelle.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "passerelle.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{- define "passerelle.codecSecretName" -}}
{{ default (printf "%s-codec" (include "passerelle.fullname" .)) .Values.codec.existingSecret }}
{{- end -}}

{{/* What the worker and the API share: Temporal, payload keys, OIDC. */}}
{{- define "passerelle.commonEnv" -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: TEMPORAL_ADDRESS
  value: {{ required "temporal.address is required" .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: TEMPORAL_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
- name: TEMPORAL_TLS
  value: {{ if or .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret .Values.temporal.apiKey.existingSecret }}"true"{{ else }}"false"{{ end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: TEMPORAL_TLS_CA_FILE
  value: /etc/passerelle/temporal-tls/ca.crt
- name: TEMPORAL_TLS_CERT_FILE
  value: /etc/passerelle/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY_FILE
  value: /etc/passerelle/temporal-tls/tls.key
{{- end }}
{{- if .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.tls.serverName | quote }}
{{- end }}
{{- if .Values.temporal.apiKey.existingSecret }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.temporal.apiKey.existingSecret }}
      key: {{ .Values.temporal.apiKey.key }}
{{- end }}
- name: PASSERELLE_CODEC_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "passerelle.codecSecretName" . }}
      key: {{ .Values.codec.key }}
- name: AUTH_MODE
  value: oidc
- name: AUTH_ISSUER
  value: {{ required "oidc.issuer is required" .Values.oidc.issuer | quote }}
- name: AUTH_AUDIENCE
  value: {{ required "oidc.audience is required" .Values.oidc.audience | quote }}
- name: AUTH_JWKS_URL
  value: {{ required "oidc.jwksUrl is required" .Values.oidc.jwksUrl | quote }}
- name: AUTH_ALGORITHMS
  value: {{ .Values.oidc.algorithms | quote }}
- name: SIM_CLOUD_URL
  value: {{ .Values.provider.url | quote }}
{{- end -}}

{{- define "passerelle.tlsVolume" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
    # Readable by the pod's group (fsGroup), which the non-root user belongs to.
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "passerelle.tlsVolumeMount" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/passerelle/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}
