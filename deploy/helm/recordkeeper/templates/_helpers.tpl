{{/* Names and labels shared by every manifest of the chart. */}}
{{- define "recordkeeper.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "recordkeeper.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "recordkeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "recordkeeper.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "recordkeeper.fullname" .)) -}}
{{- end -}}

{{- define "recordkeeper.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "recordkeeper.fullname" .)) -}}
{{- end -}}

{{/*
The engine's variables: the ConfigMap, then each secret but the owner's MIGRATION_DATABASE_URL, which only the
migration Job gets (the engine runs as the least-privileged role).
*/}}
{{- define "recordkeeper.engineEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "recordkeeper.fullname" . }}-config
env:
{{- range $name, $value := .Values.secrets.values }}
{{- if ne $name "MIGRATION_DATABASE_URL" }}
  - name: {{ $name }}
    valueFrom:
      secretKeyRef:
        name: {{ include "recordkeeper.secretName" $ }}
        key: {{ $name }}
        optional: true
{{- end }}
{{- end }}
{{- end -}}

{{- define "recordkeeper.dataVolume" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "recordkeeper.claimName" . }}
{{- end -}}
