{{/* The chart's name, or nameOverride. */}}
{{- define "vicinity.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object names: fullnameOverride, else the release name when it already holds the chart's name, else both. */}}
{{- define "vicinity.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vicinity.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vicinity.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vicinity.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "vicinity.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: control-plane
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "vicinity.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vicinity.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "vicinity.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Where a remote cluster's kubeconfig Secret is mounted. */}}
{{- define "vicinity.kubeconfigDirectory" -}}
{{- printf "/etc/vicinity-kubeconfigs/%s" .name -}}
{{- end -}}

{{/* The Secret volume of a remote cluster's kubeconfig: a DNS label. */}}
{{- define "vicinity.kubeconfigVolume" -}}
{{- printf "kubeconfig-%s" .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
A Go duration (5s, 1m30s, 500ms, 1.5h) in whole seconds, rounded up, as Vicinity reads durations.
Called with a dict: value, and at (the value's path, for the error message).
*/}}
{{- define "vicinity.durationSeconds" -}}
{{- $text := toString .value -}}
{{- if eq $text "0" -}}
0
{{- else -}}
{{- if not (regexMatch "^([0-9]+(\\.[0-9]+)?(h|ms|us|ns|m|s))+$" $text) -}}
{{- fail (printf "%s: '%s' is not a duration: expected e.g. 5s, 1m30s or 500ms" .at $text) -}}
{{- end -}}
{{- $scales := dict "h" 3600.0 "m" 60.0 "s" 1.0 "ms" 0.001 "us" 0.000001 "ns" 0.000000001 -}}
{{- $total := 0.0 -}}
{{- range regexFindAll "[0-9]+(\\.[0-9]+)?(h|ms|us|ns|m|s)" $text -1 -}}
{{- $unit := regexFind "(h|ms|us|ns|m|s)$" . -}}
{{- $total = addf $total (mulf (float64 (trimSuffix $unit .)) (get $scales $unit)) -}}
{{- end -}}
{{- ceil $total | int -}}
{{- end -}}
{{- end -}}

{{/* The drain period in seconds (Vicinity's default: 5s). */}}
{{- define "vicinity.drainSeconds" -}}
{{- include "vicinity.durationSeconds" (dict "value" (default "5s" .Values.config.server.drainPeriod) "at" "config.server.drainPeriod") -}}
{{- end -}}

{{/* Longer than the drain period, so that the kubelet does not kill a replica while it drains. */}}
{{- define "vicinity.terminationGracePeriodSeconds" -}}
{{- $drain := include "vicinity.drainSeconds" . | int -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds -}}
{{- add $drain 15 -}}
{{- else -}}
{{- $grace := .Values.terminationGracePeriodSeconds | int -}}
{{- if le $grace $drain -}}
{{- fail (printf "terminationGracePeriodSeconds: %d is not longer than config.server.drainPeriod (%ds): the kubelet would kill replicas while they drain; expected more than %d, or leave it unset" $grace $drain $drain) -}}
{{- end -}}
{{- $grace -}}
{{- end -}}
{{- end -}}

{{- define "vicinity.xdsPort" -}}
{{- default 18000 .Values.config.server.xdsPort | int -}}
{{- end -}}

{{- define "vicinity.debugPort" -}}
{{- default 19000 .Values.config.server.debugPort | int -}}
{{- end -}}

{{/* "true" when a cluster is the one Vicinity runs in. */}}
{{- define "vicinity.watchesOwnCluster" -}}
{{- range .Values.config.clusters -}}{{- if .inCluster -}}true{{- end -}}{{- end -}}
{{- end -}}

{{/* "true" when the cluster Vicinity runs in holds the policy custom resources. */}}
{{- define "vicinity.ownClusterHoldsPolicies" -}}
{{- range .Values.config.clusters -}}{{- if and .inCluster .policySource -}}true{{- end -}}{{- end -}}
{{- end -}}

{{/* "true" when the Lease is in this cluster: Vicinity holds it in the first policySource cluster. */}}
{{- define "vicinity.leaseInOwnCluster" -}}
{{- $first := dict -}}
{{- range .Values.config.clusters -}}{{- if and .policySource (empty $first) -}}{{- $first = . -}}{{- end -}}{{- end -}}
{{- if $first.inCluster -}}true{{- end -}}
{{- end -}}

{{/* vicinity.yaml. */}}
{{- define "vicinity.configFile" -}}
{{- if empty .Values.config.clusters -}}
{{- fail "config.clusters: at least one cluster is required, e.g. {name: cluster1, inCluster: true, policySource: true}" -}}
{{- end -}}
{{- $clusters := list -}}
{{- range $i, $cluster := .Values.config.clusters -}}
{{- $rendered := omit $cluster "kubeconfigSecret" -}}
{{- with $cluster.kubeconfigSecret -}}
{{- if not .name -}}
{{- fail (printf "config.clusters[%d].kubeconfigSecret.name: required, the Secret holding cluster %s's kubeconfig" $i $cluster.name) -}}
{{- end -}}
{{- $_ := set $rendered "kubeconfig" (printf "%s/%s" (include "vicinity.kubeconfigDirectory" $cluster) (default "kubeconfig" .key)) -}}
{{- end -}}
{{- $clusters = append $clusters $rendered -}}
{{- end -}}
{{- $election := .Values.leaderElection -}}
{{- $sections := list (dict "server" .Values.config.server) (dict "clusters" $clusters) -}}
{{- with .Values.config.meshes -}}{{- $sections = append $sections (dict "meshes" .) -}}{{- end -}}
{{- with .Values.config.virtualMeshes -}}{{- $sections = append $sections (dict "virtualMeshes" .) -}}{{- end -}}
{{- $sections = append $sections (dict "leaderElection" (dict "namespace" .Release.Namespace "name" $election.name "leaseDuration" $election.leaseDuration "renewDeadline" $election.renewDeadline "retryPeriod" $election.retryPeriod)) -}}
{{- range $i, $section := $sections -}}
{{- if $i }}{{ "\n" }}{{ end -}}
{{- toYaml $section -}}
{{- end -}}
{{- end -}}
