{{/* Names and labels. */}}
{{- define "agent-state-processor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Kept to 52 characters: StatefulSet pods add "-<ordinal>" and a controller-revision label
     hash, and the pod name becomes Kafka:InstanceId. */}}
{{- define "agent-state-processor.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agent-state-processor.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agent-state-processor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agent-state-processor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "agent-state-processor.labels" -}}
helm.sh/chart: {{ include "agent-state-processor.chart" . }}
{{ include "agent-state-processor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "agent-state-processor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agent-state-processor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "agent-state-processor.headlessServiceName" -}}
{{- printf "%s-headless" (include "agent-state-processor.fullname" .) }}
{{- end }}

{{- define "agent-state-processor.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Seconds in a .NET TimeSpan written hh:mm:ss (the schema admits only that form for the durations
the chart computes with). Usage: include "agent-state-processor.timespanSeconds" (list "name" value)
*/}}
{{- define "agent-state-processor.timespanSeconds" -}}
{{- $name := index . 0 }}
{{- $parts := splitList ":" (index . 1) }}
{{- if ne (len $parts) 3 }}
{{- fail (printf "%s must be a TimeSpan hh:mm:ss, got %q" $name (index . 1)) }}
{{- end }}
{{- add (mul (atoi (index $parts 0)) 3600) (mul (atoi (index $parts 1)) 60) (atoi (index $parts 2)) }}
{{- end }}

{{- define "agent-state-processor.terminationGracePeriodSeconds" -}}
{{- $shutdown := include "agent-state-processor.timespanSeconds" (list "host.shutdownTimeout" .Values.host.shutdownTimeout) | atoi }}
{{- add $shutdown .Values.host.terminationGraceMarginSeconds }}
{{- end }}

{{/* Combinations the schema cannot express; rendering stops with the reason. */}}
{{- define "agent-state-processor.validate" -}}
{{- $partitions := int .Values.topics.inputPartitions }}
{{- if and (not .Values.keda.enabled) (gt (int .Values.replicaCount) $partitions) }}
{{- fail (printf "replicaCount (%d) exceeds topics.inputPartitions (%d): the extra consumers would get no partition" (int .Values.replicaCount) $partitions) }}
{{- end }}
{{- if and .Values.keda.enabled (gt (int .Values.keda.maxReplicaCount) $partitions) }}
{{- fail (printf "keda.maxReplicaCount (%d) exceeds topics.inputPartitions (%d)" (int .Values.keda.maxReplicaCount) $partitions) }}
{{- end }}
{{- if and .Values.keda.enabled (gt (int .Values.keda.minReplicaCount) (int .Values.keda.maxReplicaCount)) }}
{{- fail "keda.minReplicaCount exceeds keda.maxReplicaCount" }}
{{- end }}
{{- if and .Values.kafka.staticMembership (ne .Values.workload.kind "StatefulSet") }}
{{- fail "kafka.staticMembership needs workload.kind StatefulSet: a Deployment's pod names (the group instance ids) change on every restart" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled .Values.metrics.podMonitor.enabled }}
{{- fail "enable metrics.serviceMonitor or metrics.podMonitor, not both: each would scrape every pod" }}
{{- end }}
{{- $sasl := has .Values.kafka.securityProtocol (list "SaslPlaintext" "SaslSsl") }}
{{- if and $sasl (or (not .Values.kafka.sasl.mechanism) (not .Values.kafka.sasl.existingSecret)) }}
{{- fail (printf "kafka.securityProtocol %s needs kafka.sasl.mechanism and kafka.sasl.existingSecret" .Values.kafka.securityProtocol) }}
{{- end }}
{{- if and (not $sasl) .Values.kafka.sasl.existingSecret }}
{{- fail "kafka.sasl.existingSecret is set but kafka.securityProtocol is not SaslPlaintext or SaslSsl" }}
{{- end }}
{{- if and $sasl (not .Values.kafka.sasl.username) (not .Values.kafka.sasl.usernameKey) }}
{{- fail "SASL needs kafka.sasl.username or kafka.sasl.usernameKey" }}
{{- end }}
{{- $tls := has .Values.kafka.securityProtocol (list "Ssl" "SaslSsl") }}
{{- if and (not $tls) (or .Values.kafka.tls.ca.existingSecret .Values.kafka.tls.client.existingSecret) }}
{{- fail "kafka.tls secrets are set but kafka.securityProtocol is not Ssl or SaslSsl" }}
{{- end }}
{{- if and .Values.schemaRegistry.basicAuth.existingSecret .Values.schemaRegistry.bearerToken.existingSecret }}
{{- fail "schemaRegistry: use basicAuth or bearerToken, not both" }}
{{- end }}
{{- $session := include "agent-state-processor.timespanSeconds" (list "kafka.sessionTimeout" .Values.kafka.sessionTimeout) | atoi }}
{{- $restore := include "agent-state-processor.timespanSeconds" (list "processing.restoreTimeout" .Values.processing.restoreTimeout) | atoi }}
{{- $startup := mul .Values.probes.startup.periodSeconds .Values.probes.startup.failureThreshold }}
{{- if lt (int $startup) (add $session $restore) }}
{{- fail (printf "the startup probe allows %ds, less than kafka.sessionTimeout + processing.restoreTimeout (%ds): a pod restoring state would be killed" (int $startup) (add $session $restore)) }}
{{- end }}
{{- end }}
