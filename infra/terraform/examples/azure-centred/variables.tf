variable "azure_subscription_id" {
  type        = string
  description = "Azure subscription the deployment goes into."
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault holding the functions' and the bridge's secrets."
}

variable "key_vault_uri" {
  type        = string
  description = "URI of that Key Vault, e.g. https://wineprod-kv.vault.azure.net (secret ids are built from it)."
  validation {
    condition     = can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/?$", var.key_vault_uri))
    error_message = "key_vault_uri must look like https://<vault>.vault.azure.net."
  }
}

variable "kafka_bootstrap_servers" {
  type        = string
  description = "Event Hubs' Kafka endpoint (<namespace>.servicebus.windows.net:9093) or any Kafka cluster."
}

variable "mqtt_host" {
  type        = string
  description = "Host name of the warehouses' MQTT broker."
}

variable "bridge_image" {
  type        = string
  description = "The bridge image in the registry, e.g. wineprod.azurecr.io/wine-bridge:1.0.0."
}

variable "container_registry_id" {
  type        = string
  description = "Resource id of the Azure Container Registry holding the bridge image."
}

variable "ratings_issuer" {
  type        = string
  description = "Token issuer the ratings API trusts."
}
