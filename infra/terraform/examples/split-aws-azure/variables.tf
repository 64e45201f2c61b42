variable "azure_subscription_id" {
  type        = string
  description = "Azure subscription the Azure parts go into."
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault holding the Azure functions' secrets."
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
  description = "Bootstrap servers of the Kafka cluster, e.g. pkc-xxxx.eu-west-1.aws.confluent.cloud:9092."
}

variable "kafka_secret_arn" {
  type        = string
  description = "Secrets Manager secret {\"username\",\"password\"} with the bridge's Kafka login."
}

variable "mqtt_secret_arn" {
  type        = string
  description = "Secrets Manager secret {\"username\",\"password\"} with the bridge's MQTT login."
}

variable "mqtt_host" {
  type        = string
  description = "Host name of the warehouses' MQTT broker."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the bridge near the warehouses."
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets of that VPC for the bridge."
}

variable "bridge_image" {
  type        = string
  description = "The bridge image in ECR, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/wine-bridge:1.4.0."
}

variable "ratings_issuer" {
  type        = string
  description = "Token issuer the ratings API trusts."
}
