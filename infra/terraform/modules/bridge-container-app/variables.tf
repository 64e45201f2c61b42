variable "name" {
  type        = string
  description = "Name of the bridge's container app and environment, e.g. wine-prod-bridge."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "buffer_storage_account_name" {
  type        = string
  description = "Name of the storage account holding the bridge's disk buffer share (3-24 lower-case letters and digits)."
  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.buffer_storage_account_name))
    error_message = "buffer_storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the bridge."
}

variable "location" {
  type        = string
  description = "Azure region of the bridge."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace the Container Apps environment sends logs to (from azure-base)."
}

variable "image" {
  type        = string
  description = "Container image of functions/ingest, e.g. wineprod.azurecr.io/wine-bridge:1.4.0."
}

variable "registry" {
  type = object({
    server = string
    acr_id = string
  })
  description = "Azure Container Registry the image is pulled from with the bridge's identity (it gets AcrPull); null for a public image."
  default     = null
}

variable "environment" {
  type        = map(string)
  description = "Plain settings of the bridge (Bridge__Mqtt__Host, Bridge__Kafka__BootstrapServers, Zone__*, ...). Secrets never go here."
  validation {
    condition     = alltrue([for k in keys(var.environment) : !can(regex("(?i)(password|secret|sasl\\.username)", k))])
    error_message = "environment must not carry secrets; put them in key_vault_secrets."
  }
}

variable "key_vault_secrets" {
  type        = map(string)
  description = "Settings read from Key Vault: setting name => versionless secret id. The app resolves them with its identity."
  validation {
    condition     = alltrue([for id in values(var.key_vault_secrets) : can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/[A-Za-z0-9-]+/?$", id))])
    error_message = "Each value must be a versionless Key Vault secret id: https://<vault>.vault.azure.net/secrets/<name>."
  }
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault holding key_vault_secrets; the bridge's identity gets Key Vault Secrets User on it."
}

variable "cpu" {
  type        = number
  description = "vCPUs of the bridge container."
  default     = 0.5
}

variable "memory" {
  type        = string
  description = "Memory of the bridge container, matching cpu (0.5 vCPU: 1Gi)."
  default     = "1Gi"
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "application_insights_connection_string" {
  type        = string
  description = "Application Insights connection string (from azure-base): the bridge exports its traces, metrics and logs there."
  sensitive   = true
}
