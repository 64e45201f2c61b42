variable "azure_tenant_id" {
  type        = string
  description = "The Azure tenant (Entra ID directory) whose managed identities are trusted."
  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.azure_tenant_id))
    error_message = "azure_tenant_id must be a tenant id (a GUID)."
  }
}

variable "audience" {
  type        = string
  description = "The audience the managed identities' tokens carry (api://AzureADTokenExchange by default)."
}

variable "tags" {
  type        = map(string)
  description = "Tags on the provider."
}
