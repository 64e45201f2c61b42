variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, e.g. wineprod. Storage account and bucket names are globally unique, so pick one nobody else uses."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,15}$", var.name_prefix))
    error_message = "name_prefix must be 3-16 lower-case letters and digits, starting with a letter (it is part of storage account names)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource, in addition to product, component and managed_by."
  default     = {}
}

variable "placement" {
  type = object({
    ingest        = string
    sink          = string
    train_trigger = string
    predict       = string
    ratings_api   = string
  })
  description = "The cloud each function runs in: aws, azure, or none (not deployed by this stack). Supported: ingest aws|azure (ECS Fargate or Container Apps), sink, train_trigger and ratings_api azure (Function Apps), predict aws (Lambda)."
  validation {
    condition     = alltrue([for f, cloud in var.placement : cloud == "none" || contains(local.supported_clouds[f], cloud)])
    error_message = "Unsupported placement. Supported: ingest aws|azure, sink azure, train_trigger azure, predict aws, ratings_api azure; any may be none."
  }
  validation {
    condition     = var.placement.predict != "aws" || var.lake_cloud == "aws"
    error_message = "predict on aws is triggered by the S3 bucket's events: it needs lake_cloud = \"aws\"."
  }
}

variable "lake_cloud" {
  type        = string
  description = "Where the lake lives: aws (an S3 bucket) or azure (a Blob container). Its zone is the home zone of every object."
  validation {
    condition     = contains(["aws", "azure"], var.lake_cloud)
    error_message = "lake_cloud must be aws or azure."
  }
}

variable "zone_names" {
  type = object({
    aws   = optional(string, "aws")
    azure = optional(string, "azure")
  })
  description = "Trust zone name of each cloud area (Zone__Name of the functions there, Lake__Zone of the lake). Crossings between zones are audited under audit/ in the lake."
  default     = {}
  validation {
    condition     = alltrue([for z in values(var.zone_names) : can(regex("^[a-z][a-z0-9-]{0,31}$", z))]) && var.zone_names.aws != var.zone_names.azure
    error_message = "Zone names must be distinct, lower-case letters, digits and hyphens, at most 32 characters."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the AWS parts (the provider's region must be the same)."
  default     = "eu-west-1"
}

variable "azure_location" {
  type        = string
  description = "Azure region of the Azure parts."
  default     = "westeurope"
}

variable "artifacts_dir" {
  type        = string
  description = "Folder infra/package.sh wrote the packages into (predict.zip, sink.zip, train-trigger.zip, ratings-api.zip), usually <repository>/artifacts."
}

variable "bridge_image" {
  type        = string
  description = "Image of functions/ingest pushed to a registry the chosen cloud pulls from (ECR for aws, ACR for azure), e.g. wineprod.azurecr.io/wine-bridge:1.4.0. Null when ingest is none."
  default     = null
  validation {
    condition     = var.placement.ingest == "none" || var.bridge_image != null
    error_message = "bridge_image is required when ingest is placed."
  }
}

variable "bridge_registry" {
  type = object({
    server = string
    acr_id = string
  })
  description = "Azure Container Registry holding bridge_image when ingest is on azure (the bridge's identity gets AcrPull); null for a public image or on aws."
  default     = null
}

variable "kafka" {
  type = object({
    bootstrap_servers = string
    samples_topic     = optional(string, "wine.samples")
    dead_letter_topic = optional(string, "wine.samples.dlq")
    consumer_group    = optional(string, "wine-sink")
    security_protocol = optional(string, "SASL_SSL")
    sasl_mechanism    = optional(string, "PLAIN")
  })
  description = "The Kafka cluster the product uses (Confluent Cloud, MSK, Event Hubs' Kafka endpoint); not created here. Topics must exist. Credentials come from the secret stores (azure_secrets, aws_secrets)."
  validation {
    condition     = length(trimspace(var.kafka.bootstrap_servers)) > 0
    error_message = "kafka.bootstrap_servers is required."
  }
  validation {
    condition     = contains(["SASL_SSL", "SSL", "SASL_PLAINTEXT", "PLAINTEXT"], var.kafka.security_protocol)
    error_message = "kafka.security_protocol must be SASL_SSL, SSL, SASL_PLAINTEXT or PLAINTEXT."
  }
}

variable "mqtt" {
  type = object({
    host    = string
    port    = optional(number, 8883)
    use_tls = optional(bool, true)
    topics  = optional(list(string), ["wine/+/samples"])
  })
  description = "The warehouses' MQTT broker the bridge reads from (docs/bridge.md). The bridge's login comes from the secret stores, and its client id is that login's username (brokers bind a client id to its login)."
  default     = null
  validation {
    condition     = var.placement.ingest == "none" || var.mqtt != null
    error_message = "mqtt is required when ingest is placed."
  }
}

variable "azure_secrets" {
  type = object({
    key_vault_id     = string
    kafka_username   = optional(string)
    kafka_password   = optional(string)
    mqtt_username    = optional(string)
    mqtt_password    = optional(string)
    ratings_database = optional(string)
  })
  description = "Where Azure functions find their secrets: the Key Vault's resource id and versionless secret ids (https://<vault>.vault.azure.net/secrets/<name>) for the Kafka and MQTT logins, and the ratings database connection string. Values never pass through Terraform. (Azure functions reach an S3 lake with their managed identity, no key.)"
  default     = null
  validation {
    condition     = !anytrue([for f, cloud in var.placement : cloud == "azure"]) || var.azure_secrets != null
    error_message = "azure_secrets is required when any function runs on azure."
  }
  validation {
    condition     = var.placement.sink != "azure" || try(var.azure_secrets.kafka_username != null && var.azure_secrets.kafka_password != null, false)
    error_message = "azure_secrets.kafka_username and kafka_password are required when the sink runs on azure."
  }
  validation {
    condition     = var.placement.ratings_api != "azure" || try(var.azure_secrets.ratings_database != null, false)
    error_message = "azure_secrets.ratings_database is required when ratings_api runs on azure."
  }
  validation {
    condition     = var.placement.ingest != "azure" || try(var.azure_secrets.mqtt_username != null && var.azure_secrets.mqtt_password != null && var.azure_secrets.kafka_username != null && var.azure_secrets.kafka_password != null, false)
    error_message = "azure_secrets.mqtt_username, mqtt_password, kafka_username and kafka_password are required when ingest runs on azure."
  }
}

variable "aws_secrets" {
  type = object({
    kafka_secret_arn = string
    mqtt_secret_arn  = string
  })
  description = "Secrets Manager secrets for the bridge on aws, each a JSON object {\"username\": ..., \"password\": ...}: the Kafka login and the bridge's MQTT login. Values never pass through Terraform."
  default     = null
  validation {
    condition     = var.placement.ingest != "aws" || var.aws_secrets != null
    error_message = "aws_secrets is required when ingest runs on aws."
  }
}

variable "aws_network" {
  type = object({
    vpc_id     = string
    subnet_ids = list(string)
  })
  description = "VPC and private subnets (with outbound internet or endpoints to MQTT and Kafka) for the bridge on ECS Fargate."
  default     = null
  validation {
    condition     = var.placement.ingest != "aws" || var.aws_network != null
    error_message = "aws_network is required when ingest runs on aws."
  }
}

variable "ratings" {
  type = object({
    issuer         = string
    authority      = optional(string)
    audience       = optional(string, "wine-ratings")
    page_client_id = optional(string)
    page_scope     = optional(string, "openid")
  })
  description = "Settings of the ratings API: the token issuer it trusts (Ratings__Jwt__Issuer), the OpenID Connect authority whose published keys sign the tokens (Ratings__Jwt__Authority; the issuer when not set) and the audience (Ratings__Jwt__Audience); the web page's public client at that authority (Ratings__Jwt__PageClientId, Ratings__Jwt__PageScope; without it the page only browses). Its PostgreSQL connection string (Ratings__Database__ConnectionString) comes from azure_secrets.ratings_database."
  default     = null
  validation {
    condition     = var.placement.ratings_api == "none" || var.ratings != null
    error_message = "ratings is required when ratings_api is placed."
  }
  validation {
    # The API fetches the token signing keys from the authority; the app refuses plain http outside Development too.
    condition     = try(startswith(coalesce(var.ratings.authority, var.ratings.issuer), "https://"), true)
    error_message = "ratings.authority (ratings.issuer when no authority is given) must be an https URL."
  }
}

variable "predict" {
  type = object({
    champion_check_seconds = optional(number, 60)
    memory_mb              = optional(number, 1024)
    timeout_seconds        = optional(number, 120)
  })
  description = "Settings of the predict Lambda: how often it checks the registry for a new champion model (Predict__ChampionCheckSeconds), memory and timeout."
  default     = {}
  validation {
    condition     = var.predict.champion_check_seconds >= 1
    error_message = "predict.champion_check_seconds must be at least 1."
  }
}

variable "functions_plan_sku" {
  type        = string
  description = "Elastic Premium plan of the Azure Function Apps (EP1-EP3); the Kafka trigger needs Elastic Premium."
  default     = "EP1"
  validation {
    condition     = contains(["EP1", "EP2", "EP3"], var.functions_plan_sku)
    error_message = "functions_plan_sku must be EP1, EP2 or EP3."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch and Log Analytics."
  default     = 30
  validation {
    condition     = var.log_retention_days >= 30
    error_message = "log_retention_days must be at least 30."
  }
}

variable "telemetry" {
  type = object({
    aws_collector_layer_arn  = optional(string)
    aws_collector_config_uri = optional(string)
    aws_collector_image      = optional(string, "public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0")
  })
  description = <<-EOT
    Where AWS-placed functions send traces, metrics and logs over OTLP (Azure-placed ones use Application Insights from azure-base).
    aws_collector_layer_arn: an OpenTelemetry collector Lambda layer for predict in the region (the ADOT collector layer,
    arn:aws:lambda:REGION:901920570463:layer:aws-otel-collector-amd64-ver-X-Y-Z:N), which takes its traces to X-Ray and
    its metrics to CloudWatch (EMF); without it predict logs to CloudWatch only.
    aws_collector_config_uri: that collector's configuration (OPENTELEMETRY_COLLECTOR_CONFIG_URI); null (the default) runs
    the one packaged with predict (functions/predict/collector.yaml). Another must have a metrics pipeline too, writing
    to the log group named in WINE_COLLECTOR_METRICS_LOG_GROUP (the only one predict may write EMF to).
    aws_collector_image: the ADOT collector image run beside the bridge on ECS with its ECS default configuration (X-Ray and CloudWatch EMF).
  EOT
  default     = {}
  validation {
    condition     = var.telemetry.aws_collector_layer_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.telemetry.aws_collector_layer_arn))
    error_message = "telemetry.aws_collector_layer_arn must be a Lambda layer version ARN (arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION)."
  }
}
