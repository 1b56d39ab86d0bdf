{{/*
The one place that names the processor's settings (environment variables `Section__Key`) and
where the files from Secrets are mounted. Plain settings go to the ConfigMap; credentials are
only ever references to existing Secrets.
*/}}

{{- define "agent-state-processor.mountRoot" -}}/etc/agent-state-processor{{- end }}

{{/* Plain settings: a YAML map, rendered into the ConfigMap. */}}
{{- define "agent-state-processor.config" -}}
{{- $root := include "agent-state-processor.mountRoot" . -}}
Http__Port: {{ int .Values.http.port | toString | quote }}
Kafka__BootstrapServers: {{ .Values.kafka.bootstrapServers | quote }}
Kafka__GroupId: {{ .Values.kafka.groupId | quote }}
Kafka__ClientId: {{ .Values.kafka.clientId | quote }}
Kafka__StaticMembership: {{ .Values.kafka.staticMembership | toString | quote }}
Kafka__SessionTimeout: {{ .Values.kafka.sessionTimeout | quote }}
Kafka__TransactionTimeout: {{ .Values.kafka.transactionTimeout | quote }}
Kafka__SecurityProtocol: {{ .Values.kafka.securityProtocol | quote }}
{{- if .Values.kafka.sasl.mechanism }}
Kafka__SaslMechanism: {{ .Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- if and .Values.kafka.sasl.username (not .Values.kafka.sasl.usernameKey) }}
Kafka__SaslUsername: {{ .Values.kafka.sasl.username | quote }}
{{- end }}
{{- if .Values.kafka.tls.ca.existingSecret }}
Kafka__SslCaLocation: {{ printf "%s/kafka-ca/%s" $root .Values.kafka.tls.ca.key | quote }}
{{- end }}
{{- if .Values.kafka.tls.client.existingSecret }}
Kafka__SslCertificateLocation: {{ printf "%s/kafka-client/%s" $root .Values.kafka.tls.client.certificateKey | quote }}
Kafka__SslKeyLocation: {{ printf "%s/kafka-client/%s" $root .Values.kafka.tls.client.keyKey | quote }}
{{- end }}
Topics__Input: {{ .Values.topics.input | quote }}
Topics__AgentSnapshots: {{ .Values.topics.agentSnapshots | quote }}
Topics__DnSnapshots: {{ .Values.topics.dnSnapshots | quote }}
Topics__AgentStateChanges: {{ .Values.topics.agentStateChanges | quote }}
Topics__DeadLetters: {{ .Values.topics.deadLetters | quote }}
Topics__DnRepartition: {{ .Values.topics.dnRepartition | quote }}
Topics__Progress: {{ .Values.topics.progress | quote }}
Processing__Guarantee: {{ .Values.processing.guarantee | quote }}
Processing__CommitInterval: {{ .Values.processing.commitInterval | quote }}
Processing__RestoreTimeout: {{ .Values.processing.restoreTimeout | quote }}
Processing__MaxMessageBytes: {{ int64 .Values.processing.maxMessageBytes | toString | quote }}
{{- with .Values.schemaRegistry }}
{{- if .url }}
SchemaRegistry__Url: {{ .url | quote }}
SchemaRegistry__RequestTimeout: {{ .requestTimeout | quote }}
SchemaRegistry__MaxRetries: {{ int .maxRetries | toString | quote }}
SchemaRegistry__RetryBackoff: {{ .retryBackoff | quote }}
SchemaRegistry__RetryBackoffMax: {{ .retryBackoffMax | quote }}
SchemaRegistry__OutageRetryBackoff: {{ .outageRetryBackoff | quote }}
SchemaRegistry__OutageRetryBackoffMax: {{ .outageRetryBackoffMax | quote }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.bearerToken.logicalCluster }}
SchemaRegistry__BearerAuthLogicalCluster: {{ . | quote }}
{{- end }}
{{- with .Values.schemaRegistry.bearerToken.identityPoolId }}
SchemaRegistry__BearerAuthIdentityPoolId: {{ . | quote }}
{{- end }}
{{- if .Values.schemaRegistry.tls.ca.existingSecret }}
SchemaRegistry__SslCaLocation: {{ printf "%s/registry-ca/%s" $root .Values.schemaRegistry.tls.ca.key | quote }}
{{- end }}
{{- if .Values.schemaRegistry.tls.keystore.existingSecret }}
SchemaRegistry__SslKeystoreLocation: {{ printf "%s/registry-keystore/%s" $root .Values.schemaRegistry.tls.keystore.key | quote }}
{{- end }}
Host__ShutdownTimeout: {{ .Values.host.shutdownTimeout | quote }}
Health__LivenessStallTimeout: {{ .Values.health.livenessStallTimeout | quote }}
Logging__Console__FormatterName: {{ .Values.logging.format | quote }}
Logging__LogLevel__Default: {{ .Values.logging.level | quote }}
{{- if .Values.dotnet.gcHeapHardLimitPercent }}
{{- /* The runtime reads this variable as hexadecimal. */}}
DOTNET_GCHeapHardLimitPercent: {{ printf "0x%X" (int .Values.dotnet.gcHeapHardLimitPercent) | quote }}
{{- end }}
{{- range $key, $value := .Values.extraConfig }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* Container env: the pod's own identity and every credential, as references only. */}}
{{- define "agent-state-processor.env" -}}
- name: Kafka__InstanceId
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if .Values.kafka.sasl.existingSecret }}
{{- if .Values.kafka.sasl.usernameKey }}
- name: Kafka__SaslUsername
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret | quote }}
      key: {{ .Values.kafka.sasl.usernameKey | quote }}
{{- end }}
- name: Kafka__SaslPassword
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret | quote }}
      key: {{ .Values.kafka.sasl.passwordKey | quote }}
{{- end }}
{{- if and .Values.kafka.tls.client.existingSecret .Values.kafka.tls.client.keyPasswordKey }}
- name: Kafka__SslKeyPassword
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.tls.client.existingSecret | quote }}
      key: {{ .Values.kafka.tls.client.keyPasswordKey | quote }}
{{- end }}
{{- with .Values.schemaRegistry.basicAuth }}
{{- if .existingSecret }}
- name: SchemaRegistry__BasicAuthUsername
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .usernameKey | quote }}
- name: SchemaRegistry__BasicAuthPassword
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordKey | quote }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.bearerToken }}
{{- if .existingSecret }}
- name: SchemaRegistry__BearerAuthToken
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .key | quote }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.tls.keystore }}
{{- if .existingSecret }}
- name: SchemaRegistry__SslKeystorePassword
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordKey | quote }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Secret-backed files: each Secret mounted read-only, only the keys the processor reads. */}}
{{- define "agent-state-processor.secretFiles" -}}
{{- $files := list }}
{{- with .Values.kafka.tls.ca }}
{{- if .existingSecret }}
{{- $files = append $files (dict "volume" "kafka-ca" "secret" .existingSecret "keys" (list .key)) }}
{{- end }}
{{- end }}
{{- with .Values.kafka.tls.client }}
{{- if .existingSecret }}
{{- $files = append $files (dict "volume" "kafka-client" "secret" .existingSecret "keys" (list .certificateKey .keyKey)) }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.tls.ca }}
{{- if .existingSecret }}
{{- $files = append $files (dict "volume" "registry-ca" "secret" .existingSecret "keys" (list .key)) }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.tls.keystore }}
{{- if .existingSecret }}
{{- $files = append $files (dict "volume" "registry-keystore" "secret" .existingSecret "keys" (list .key)) }}
{{- end }}
{{- end }}
{{- toYaml (dict "files" $files) }}
{{- end }}

{{- define "agent-state-processor.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- $root := include "agent-state-processor.mountRoot" . }}
{{- range (include "agent-state-processor.secretFiles" . | fromYaml).files }}
- name: {{ .volume }}
  mountPath: {{ printf "%s/%s" $root .volume }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "agent-state-processor.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- range (include "agent-state-processor.secretFiles" . | fromYaml).files }}
- name: {{ .volume }}
  secret:
    secretName: {{ .secret | quote }}
    # 0440: readable by the owner and the pod's fsGroup (the processor's group), nobody else.
    defaultMode: 288
    items:
    {{- range .keys }}
      - key: {{ . | quote }}
        path: {{ . | quote }}
    {{- end }}
{{- end }}
{{- end }}
