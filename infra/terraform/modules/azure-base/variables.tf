variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, e.g. wine-prod."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name_prefix))
    error_message = "name_prefix must be 2-21 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
}

variable "functions_plan_sku" {
  type        = string
  description = "SKU of the Linux plan the Function Apps share; null creates no plan. Elastic Premium (EP1-EP3) runs the Kafka trigger with runtime scale monitoring."
  default     = null
  validation {
    condition     = var.functions_plan_sku == null || contains(["EP1", "EP2", "EP3"], coalesce(var.functions_plan_sku, "EP1"))
    error_message = "functions_plan_sku must be EP1, EP2, EP3 or null."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days the Log Analytics workspace keeps logs."
  default     = 30
  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault holding the deployment's secrets, whose audit events go to the workspace; null when none is used."
  default     = null
}
