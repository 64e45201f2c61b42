variable "name" {
  type        = string
  description = "Name of the Function App (globally unique host name <name>.azurewebsites.net)."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$", var.name))
    error_message = "name must be 2-60 lower-case letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "host_storage_account_name" {
  type        = string
  description = "Name of the storage account the Functions host keeps its state in (3-24 lower-case letters and digits); not the lake."
  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.host_storage_account_name))
    error_message = "host_storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the app."
}

variable "location" {
  type        = string
  description = "Azure region of the app."
}

variable "service_plan_id" {
  type        = string
  description = "Id of the Linux plan the app runs on (Elastic Premium for the Kafka trigger)."
}

variable "package_zip" {
  type        = string
  description = "Path of the zip that infra/package.sh publishes for this app (dotnet publish output, isolated worker)."
  validation {
    condition     = endswith(var.package_zip, ".zip")
    error_message = "package_zip must be the path of a .zip file."
  }
}

variable "app_settings" {
  type        = map(string)
  description = "Plain settings of the app (Lake__*, Zone__*, topics, ...). Secrets never go here: use key_vault_settings."
  validation {
    condition     = alltrue([for k in keys(var.app_settings) : !can(regex("(?i)(password|secret|accesskey|connectionstring)", k))])
    error_message = "app_settings must not carry secrets; name them in key_vault_settings instead."
  }
}

variable "key_vault_settings" {
  type        = map(string)
  description = "Settings read from Key Vault: setting name => versionless secret id (https://<vault>.vault.azure.net/secrets/<name>). The app resolves them with its identity."
  default     = {}
  validation {
    condition     = alltrue([for id in values(var.key_vault_settings) : can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/[A-Za-z0-9-]+/?$", id))])
    error_message = "Each value must be a versionless Key Vault secret id: https://<vault>.vault.azure.net/secrets/<name>."
  }
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault holding the secrets in key_vault_settings; the app's identity gets Key Vault Secrets User on it when key_vault_settings is not empty."
  default     = null
  validation {
    condition     = var.key_vault_id == null || can(regex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[^/]+$", var.key_vault_id))
    error_message = "key_vault_id must be the resource id of a Key Vault."
  }
  validation {
    condition     = length(var.key_vault_settings) == 0 || var.key_vault_id != null
    error_message = "key_vault_id is required when key_vault_settings is not empty."
  }
}

variable "lake_in_azure" {
  type        = bool
  description = "Whether the lake is an Azure Blob container; then the app's identity gets lake_role on lake_container_id. (A flag, because the id is only known after apply and count must be known at plan.)"
}

variable "lake_container_id" {
  type        = string
  description = "Resource id of the lake container when lake_in_azure; null otherwise."
  default     = null
}

variable "lake_role" {
  type        = string
  description = "Data role of the app on the lake container, narrowed to lake_access by an ABAC condition: Contributor to read and write; Owner for a blob trigger with an identity-based connection."
  default     = "Storage Blob Data Contributor"
  validation {
    condition     = contains(["Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"], var.lake_role)
    error_message = "lake_role must be Storage Blob Data Reader, Contributor or Owner."
  }
}

variable "lake_access" {
  type = object({
    read   = list(string)
    write  = list(string)
    delete = list(string)
  })
  description = "The blob prefixes the app may read, write and delete in the lake container (its LakeGrant, shared/Core/Zones/LakeGrant.cs), each ending in '/'. Listing the container stays allowed."
  default     = { read = [], write = [], delete = [] }
  validation {
    condition     = alltrue([for p in concat(var.lake_access.read, var.lake_access.write, var.lake_access.delete) : can(regex("^[a-z_-]+(/[a-z_=-]+)*/$", p))])
    error_message = "Each lake_access prefix must be lower-case path segments ending in '/', e.g. raw/samples/."
  }
}

variable "identity_connections" {
  type        = list(string)
  description = "Names of identity-based trigger or binding connections (e.g. LakeStorage); each gets <name>__credential=managedidentity and <name>__clientId of the app's identity. Their service URIs go in app_settings."
  default     = []
}

variable "application_insights_connection_string" {
  type        = string
  description = "Application Insights connection string (from azure-base)."
  sensitive   = true
}

variable "runtime_scale_monitoring" {
  type        = bool
  description = "Lets the Elastic Premium scale controller see non-HTTP triggers (needed for the Kafka trigger)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "public_network_access" {
  type        = bool
  description = "Whether the app takes requests from the internet: true only for apps with HTTP triggers (the ratings API); the sink's and the train-trigger's triggers need no inbound access."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace the app's diagnostic logs (FunctionAppLogs) and metrics go to."
}

variable "lake_audit_container_id" {
  type        = string
  description = "Resource id of the lake's immutable audit container when lake_in_azure: the app may only create blobs under audit/ there. Null otherwise."
  default     = null
}
