# Split AWS / Azure: the lake on S3 with prediction next to it and the bridge near the warehouses
# (AWS); the sink and the ratings API on Azure Functions. The sink and the ratings API write into a
# lake in another zone, so each of their writes leaves an audit record.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { environment = "production" }
  }
}

provider "azurerm" {
  features {}
  subscription_id     = var.azure_subscription_id
  storage_use_azuread = true
}

locals {
  secret = "${trimsuffix(var.key_vault_uri, "/")}/secrets"
}

module "wine" {
  source      = "../.."
  name_prefix = "wineprod"
  tags        = { environment = "production", owner = "wine-ops" }

  lake_cloud = "aws"
  placement = {
    ingest        = "aws"
    sink          = "azure"
    train_trigger = "azure" # polls the S3 lake's training/ prefix every minute (no S3 event reaches Azure)
    predict       = "aws"
    ratings_api   = "azure"
  }
  zone_names = { aws = "aws-eu", azure = "azure-eu" }

  aws_region     = "eu-west-1"
  azure_location = "westeurope"
  artifacts_dir  = "${path.root}/../../../../artifacts"

  kafka = { bootstrap_servers = var.kafka_bootstrap_servers }
  mqtt  = { host = var.mqtt_host, port = 8883, use_tls = true }

  bridge_image = var.bridge_image
  aws_network  = { vpc_id = var.vpc_id, subnet_ids = var.private_subnet_ids }
  aws_secrets  = { kafka_secret_arn = var.kafka_secret_arn, mqtt_secret_arn = var.mqtt_secret_arn }

  azure_secrets = {
    key_vault_id     = var.key_vault_id
    kafka_username   = "${local.secret}/kafka-username"
    kafka_password   = "${local.secret}/kafka-password"
    ratings_database = "${local.secret}/ratings-database"
  }

  ratings = { issuer = var.ratings_issuer, page_client_id = "wine-ratings-page" } # the page signs people in as this public client
  predict = { champion_check_seconds = 60 }
  # The region's ADOT collector layer (aws-otel.github.io lists the current one): predict's traces go to X-Ray.
  telemetry = { aws_collector_layer_arn = "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-amd64-ver-0-115-0:3" }
}
