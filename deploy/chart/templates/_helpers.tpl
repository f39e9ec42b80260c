{{/* Names, labels and small shared blocks. */}}

{{- define "helm-triage.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "helm-triage.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "helm-triage.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "helm-triage.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "helm-triage.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "helm-triage.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: call with (dict "root" $ "component" "bot"). */}}
{{- define "helm-triage.selectorLabels" -}}
app.kubernetes.io/name: {{ include "helm-triage.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "helm-triage.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "helm-triage.botServiceAccountName" -}}
{{- default (printf "%s-bot" (include "helm-triage.fullname" .)) .Values.bot.serviceAccount.name }}
{{- end }}

{{- define "helm-triage.agentServiceAccountName" -}}
{{- default (printf "%s-agent" (include "helm-triage.fullname" .)) .Values.agent.serviceAccount.name }}
{{- end }}

{{/* REDIS_URL from exactly one source; both roles need it. */}}
{{- define "helm-triage.redisEnv" -}}
{{- if .Values.redis.existingSecret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.existingSecretKey }}
{{- else if .Values.redis.url }}
- name: REDIS_URL
  value: {{ .Values.redis.url | quote }}
{{- else if .Values.redis.internal.enabled }}
- name: REDIS_URL
  value: {{ printf "redis://%s-redis:6379" (include "helm-triage.fullname" .) | quote }}
{{- else }}
{{- fail "helm-triage needs Redis: set redis.url, redis.existingSecret, or redis.internal.enabled=true (deploy/README.md, step 3)" }}
{{- end }}
{{- end }}

{{/* Environment both roles share. */}}
{{- define "helm-triage.commonEnv" -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
{{- if .Values.config.playbooksDir }}
- name: PLAYBOOKS_DIR
  value: {{ .Values.config.playbooksDir | quote }}
{{- end }}
- name: CHECK_DEADLINE_SECONDS
  value: {{ .Values.config.checkDeadlineSeconds | quote }}
- name: QUEUE_PREFIX
  value: {{ .Values.config.queuePrefix | quote }}
{{- include "helm-triage.redisEnv" . }}
{{- end }}

{{/* CHANNEL_CLUSTERS as `channel=cluster,…` (keys sorted, as Go templates range over maps). */}}
{{- define "helm-triage.channelClusters" -}}
{{- $pairs := list }}
{{- range $channel, $cluster := .Values.bot.channelClusters }}
{{- $pairs = append $pairs (printf "%s=%s" $channel $cluster) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/*
RBAC rules from files/rbac/*.yaml, keeping only the Kubernetes fields and the rules whose `driver`
is `any` or the configured Helm driver. Call with (dict "rules" LIST "driver" "secret").
*/}}
{{- define "helm-triage.rbacRules" -}}
{{- range .rules }}
{{- if or (eq .driver "any") (eq .driver $.driver) }}
{{- if .nonResourceURLs }}
- nonResourceURLs: {{ toJson .nonResourceURLs }}
  verbs: {{ toJson .verbs }}
{{- else }}
- apiGroups: {{ toJson .apiGroups }}
  resources: {{ toJson .resources }}
  verbs: {{ toJson .verbs }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Fails the render with a message that says which value to fix. */}}
{{- define "helm-triage.validate" -}}
{{- if not (has .Values.agent.helmDriver (list "secret" "configmap")) }}
{{- fail (printf "agent.helmDriver must be secret or configmap (got %q)" .Values.agent.helmDriver) }}
{{- end }}
{{- if not (has .Values.rbac.scope (list "cluster" "namespaces")) }}
{{- fail (printf "rbac.scope must be cluster or namespaces (got %q)" .Values.rbac.scope) }}
{{- end }}
{{- if and .Values.agent.enabled .Values.rbac.create (eq .Values.rbac.scope "namespaces") (empty .Values.rbac.namespaces) }}
{{- fail "rbac.scope=namespaces needs rbac.namespaces: list the namespaces the agent may read (e.g. --set 'rbac.namespaces={apps,kube-system}')" }}
{{- end }}
{{- if and .Values.agent.enabled (not (regexMatch "^[a-z0-9][a-z0-9._-]{0,62}$" .Values.agent.clusterName)) }}
{{- fail "agent.clusterName is required when agent.enabled: lowercase letters, digits, . _ - (e.g. --set agent.clusterName=prod-eu)" }}
{{- end }}
{{- if not (or .Values.bot.enabled .Values.agent.enabled) }}
{{- fail "nothing to install: set bot.enabled and/or agent.enabled" }}
{{- end }}
{{- end }}

{{/* Egress rule: DNS on UDP and TCP, to any resolver (node-local caches included). */}}
{{- define "helm-triage.egressDns" -}}
- ports:
    {{- range .Values.networkPolicy.dns.ports }}
    - port: {{ . }}
      protocol: UDP
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end }}

{{/* Egress rule to Redis: the in-release Redis pods, or an external Redis (by CIDR, or any address on its port). */}}
{{- define "helm-triage.egressRedis" -}}
{{- $np := .root.Values.networkPolicy }}
{{- if .internal }}
- ports:
    - port: 6379
      protocol: TCP
  to:
    - podSelector:
        matchLabels:
          {{- include "helm-triage.selectorLabels" (dict "root" .root "component" "redis") | nindent 10 }}
{{- else }}
- ports:
    - port: {{ $np.redis.port }}
      protocol: TCP
  {{- with $np.redis.cidrs }}
  to:
    {{- range . }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end }}
