# Azure-centred: the lake is a Blob container and every function that exists for Azure runs there,
# in one zone, so nothing crosses a zone. predict is an S3-event Lambda and has no event source
# while the lake is in Azure, so it is not placed here.
provider "azurerm" {
  features {}
  subscription_id     = var.azure_subscription_id
  storage_use_azuread = true
}

# The root module requires the AWS provider; this placement creates nothing in AWS, so it is set up
# to need no AWS credentials.
provider "aws" {
  region                      = "eu-west-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

locals {
  secret = "${trimsuffix(var.key_vault_uri, "/")}/secrets"
}

module "wine" {
  source      = "../.."
  name_prefix = "winewest"
  tags        = { environment = "production", owner = "wine-ops" }

  lake_cloud = "azure"
  placement = {
    ingest        = "azure"
    sink          = "azure"
    train_trigger = "azure"
    predict       = "none" # an S3-event Lambda: no event source while the lake is in Azure
    ratings_api   = "azure"
  }
  zone_names = { azure = "azure-eu" }

  azure_location = "westeurope"
  artifacts_dir  = "${path.root}/../../../../artifacts"

  kafka = {
    bootstrap_servers = var.kafka_bootstrap_servers
    consumer_group    = "wine-sink"
  }
  mqtt = { host = var.mqtt_host }

  bridge_image = var.bridge_image
  bridge_registry = {
    server = split("/", var.bridge_image)[0]
    acr_id = var.container_registry_id
  }

  azure_secrets = {
    key_vault_id     = var.key_vault_id
    kafka_username   = "${local.secret}/kafka-username"
    kafka_password   = "${local.secret}/kafka-password"
    mqtt_username    = "${local.secret}/mqtt-bridge-username"
    mqtt_password    = "${local.secret}/mqtt-bridge-password"
    ratings_database = "${local.secret}/ratings-database"
  }

  ratings            = { issuer = var.ratings_issuer }
  functions_plan_sku = "EP1"
  log_retention_days = 90
}
