# Places each function in the cloud the `placement` variable names and wires it to the lake, Kafka,
# the secret stores and its trust zone. Module calls are named <function>_<cloud> and exist once
# for every cloud a function supports (local.supported_clouds); the checks in
# tests/WineFunctions.Tests/Deploy hold the two in step.
locals {
  supported_clouds = {
    ingest        = ["aws", "azure"]
    sink          = ["azure"]
    train_trigger = ["azure"]
    predict       = ["aws"]
    ratings_api   = ["azure"]
  }

  tags = merge(var.tags, { product = "wine-functions", managed_by = "terraform" })

  uses_azure           = var.lake_cloud == "azure" || anytrue([for f, cloud in var.placement : cloud == "azure"])
  azure_function_apps  = anytrue([for f in ["sink", "train_trigger", "ratings_api"] : var.placement[f] == "azure"])
  storage_prefix       = var.name_prefix
  zone_of              = { aws = var.zone_names.aws, azure = var.zone_names.azure }
  lake_zone            = local.zone_of[var.lake_cloud]
  azure_lake_blob_host = var.lake_cloud == "azure" ? module.azure_lake[0].blob_endpoint : null

  # Every function knows its zone and cloud, and the lake's home zone (docs/zones.md).
  zone_settings = {
    for f, cloud in var.placement : f => {
      Zone__Name  = lookup(local.zone_of, cloud, "none")
      Zone__Cloud = cloud
      Lake__Zone  = local.lake_zone
    }
  }

  # How a function reaches the lake (shared/Core/Lake/LakeSettings.cs); the S3 keys of Azure functions
  # come from Key Vault, the Lambda uses its role.
  lake_settings = var.lake_cloud == "aws" ? tomap({
    Lake__Kind       = "S3"
    Lake__S3__Bucket = module.aws_lake[0].bucket_name
    Lake__S3__Region = var.aws_region
    }) : tomap({
    Lake__Kind               = "Blob"
    Lake__BlobContainerUrl   = module.azure_lake[0].container_url
    Lake__BlobContainer      = module.azure_lake[0].container_name
    Lake__BlobAuditContainer = module.azure_lake[0].audit_container_name
  })

  # Azure functions reach an S3 lake by assuming their own IAM role with their managed identity's
  # token (aws-azure-federation, aws-lake-access): no AWS key is stored anywhere.
  s3_federated        = { for f in ["sink", "train_trigger", "ratings_api"] : f => var.lake_cloud == "aws" && var.placement[f] == "azure" }
  federation_audience = "api://AzureADTokenExchange"
  azure_identities = {
    sink          = try(module.sink_azure[0].identity_principal_id, null)
    train_trigger = try(module.train_trigger_azure[0].identity_principal_id, null)
    ratings_api   = try(module.ratings_api_azure[0].identity_principal_id, null)
  }
  s3_federation_settings = {
    for f, federated in local.s3_federated : f => federated ? tomap({
      Lake__S3__WebIdentityRoleArn = module.s3_lake_access[f].role_arn
    }) : tomap({})
  }

  # What each Azure function may touch in the lake (aws-lake-access's IAM user on S3, the ABAC condition
  # of its role on Blob): its LakeGrant in shared/Core/Zones/LakeGrant.cs, which the tests hold this to.
  lake_access = {
    sink          = { read = ["_state/sink/"], write = ["raw/samples/", "_state/sink/", "dead-letters/sink/", "dead-letters/bridge/", "audit/"], delete = ["_state/sink/"] }
    train_trigger = { read = ["training/", "models/", "_state/train/"], write = ["models/", "dead-letters/training/", "audit/", "_state/train/"], delete = [] }
    ratings_api   = { read = ["raw/samples/", "reference/", "predictions/"], write = ["ratings/", "audit/"], delete = [] }
  }

  # The bridge's client id is its login's username (from the secret store), the default when none is set.
  bridge_environment = var.placement.ingest == "none" ? tomap({}) : merge({
    Bridge__Mqtt__Host                           = var.mqtt.host
    Bridge__Mqtt__Port                           = tostring(var.mqtt.port)
    Bridge__Mqtt__UseTls                         = tostring(var.mqtt.use_tls)
    Bridge__Kafka__BootstrapServers              = var.kafka.bootstrap_servers
    Bridge__Kafka__Topic                         = var.kafka.samples_topic
    Bridge__Kafka__DeadLetterTopic               = var.kafka.dead_letter_topic
    "Bridge__Kafka__Settings__security.protocol" = var.kafka.security_protocol
    "Bridge__Kafka__Settings__sasl.mechanism"    = var.kafka.sasl_mechanism
    }, {
    for i, topic in var.mqtt.topics : "Bridge__Mqtt__Topics__${i}" => topic
  })
}

# ---- the lake -----------------------------------------------------------------------------------

module "aws_lake" {
  count       = var.lake_cloud == "aws" ? 1 : 0
  source      = "./modules/aws-lake"
  bucket_name = "${var.name_prefix}-lake"
  tags        = merge(local.tags, { component = "lake", zone = local.lake_zone })
}

module "azure_base" {
  count              = local.uses_azure ? 1 : 0
  source             = "./modules/azure-base"
  name_prefix        = var.name_prefix
  location           = var.azure_location
  functions_plan_sku = local.azure_function_apps ? var.functions_plan_sku : null
  log_retention_days = var.log_retention_days
  key_vault_id       = try(var.azure_secrets.key_vault_id, null)
  tags               = merge(local.tags, { component = "platform", zone = var.zone_names.azure })
}

module "azure_lake" {
  count                      = var.lake_cloud == "azure" ? 1 : 0
  source                     = "./modules/azure-lake"
  storage_account_name       = "${local.storage_prefix}lake"
  resource_group_name        = module.azure_base[0].resource_group_name
  location                   = module.azure_base[0].location
  log_analytics_workspace_id = module.azure_base[0].log_analytics_workspace_id
  tags                       = merge(local.tags, { component = "lake", zone = local.lake_zone })
}

# AWS trusts the tenant's Entra ID, and each Azure function that reaches an S3 lake gets an IAM role
# only its managed identity can assume, allowed only its prefixes.
module "azure_federation" {
  count           = anytrue(values(local.s3_federated)) ? 1 : 0
  source          = "./modules/aws-azure-federation"
  azure_tenant_id = module.azure_base[0].tenant_id
  audience        = local.federation_audience
  tags            = merge(local.tags, { component = "federation", zone = local.lake_zone })
}

module "s3_lake_access" {
  for_each              = { for f, access in local.lake_access : f => access if local.s3_federated[f] }
  source                = "./modules/aws-lake-access"
  name                  = "${var.name_prefix}-${replace(each.key, "_", "-")}-azure"
  bucket_arn            = module.aws_lake[0].bucket_arn
  kms_key_arn           = module.aws_lake[0].kms_key_arn
  read_prefixes         = each.value.read
  write_prefixes        = each.value.write
  delete_prefixes       = each.value.delete
  oidc_provider_arn     = module.azure_federation[0].provider_arn
  oidc_provider_host    = module.azure_federation[0].provider_host
  audience              = local.federation_audience
  identity_principal_id = local.azure_identities[each.key]
  tags                  = merge(local.tags, { component = replace(each.key, "_", "-"), zone = local.lake_zone })
}

# ---- ingest: the MQTT -> Kafka bridge -----------------------------------------------------------

module "ingest_aws" {
  count       = var.placement.ingest == "aws" ? 1 : 0
  source      = "./modules/bridge-ecs"
  name        = "${var.name_prefix}-bridge"
  image       = var.bridge_image
  vpc_id      = var.aws_network.vpc_id
  subnet_ids  = var.aws_network.subnet_ids
  environment = local.bridge_environment
  secrets = {
    Bridge__Mqtt__Username                   = "${var.aws_secrets.mqtt_secret_arn}:username::"
    Bridge__Mqtt__Password                   = "${var.aws_secrets.mqtt_secret_arn}:password::"
    "Bridge__Kafka__Settings__sasl.username" = "${var.aws_secrets.kafka_secret_arn}:username::"
    "Bridge__Kafka__Settings__sasl.password" = "${var.aws_secrets.kafka_secret_arn}:password::"
  }
  secret_arns        = [var.aws_secrets.mqtt_secret_arn, var.aws_secrets.kafka_secret_arn]
  collector_image    = var.telemetry.aws_collector_image
  log_retention_days = var.log_retention_days
  tags               = merge(local.tags, { component = "ingest", zone = var.zone_names.aws })
}

module "ingest_azure" {
  count                                  = var.placement.ingest == "azure" ? 1 : 0
  source                                 = "./modules/bridge-container-app"
  name                                   = "${var.name_prefix}-bridge"
  buffer_storage_account_name            = "${local.storage_prefix}bridge"
  resource_group_name                    = module.azure_base[0].resource_group_name
  location                               = module.azure_base[0].location
  log_analytics_workspace_id             = module.azure_base[0].log_analytics_workspace_id
  image                                  = var.bridge_image
  registry                               = var.bridge_registry
  environment                            = local.bridge_environment
  key_vault_id                           = var.azure_secrets.key_vault_id
  application_insights_connection_string = module.azure_base[0].application_insights_connection_string
  key_vault_secrets = {
    Bridge__Mqtt__Username                   = var.azure_secrets.mqtt_username
    Bridge__Mqtt__Password                   = var.azure_secrets.mqtt_password
    "Bridge__Kafka__Settings__sasl.username" = var.azure_secrets.kafka_username
    "Bridge__Kafka__Settings__sasl.password" = var.azure_secrets.kafka_password
  }
  tags = merge(local.tags, { component = "ingest", zone = var.zone_names.azure })
}

# ---- sink: Kafka -> lake ------------------------------------------------------------------------

module "sink_azure" {
  count                      = var.placement.sink == "azure" ? 1 : 0
  source                     = "./modules/azure-function-app"
  name                       = "${var.name_prefix}-sink"
  host_storage_account_name  = "${local.storage_prefix}sink"
  resource_group_name        = module.azure_base[0].resource_group_name
  location                   = module.azure_base[0].location
  service_plan_id            = module.azure_base[0].functions_plan_id
  package_zip                = "${var.artifacts_dir}/sink.zip"
  public_network_access      = false
  log_analytics_workspace_id = module.azure_base[0].log_analytics_workspace_id
  runtime_scale_monitoring   = true
  app_settings = merge(local.lake_settings, local.zone_settings.sink, local.s3_federation_settings.sink, {
    KafkaBrokerList     = var.kafka.bootstrap_servers
    SinkTopic           = var.kafka.samples_topic
    SinkDeadLetterTopic = var.kafka.dead_letter_topic # the bridge's dead letters, kept under dead-letters/bridge/
    SinkConsumerGroup   = var.kafka.consumer_group
    # A group of its own for the dead-letter trigger, as the local host uses: its members never rebalance the samples' consumers.
    SinkDeadLetterConsumerGroup = "${var.kafka.consumer_group}-dead-letters"
  })
  key_vault_id = var.azure_secrets.key_vault_id
  key_vault_settings = {
    KafkaUsername = var.azure_secrets.kafka_username
    KafkaPassword = var.azure_secrets.kafka_password
  }
  lake_in_azure                          = var.lake_cloud == "azure"
  lake_container_id                      = var.lake_cloud == "azure" ? module.azure_lake[0].container_id : null
  lake_audit_container_id                = var.lake_cloud == "azure" ? module.azure_lake[0].audit_container_id : null
  lake_access                            = local.lake_access.sink
  application_insights_connection_string = module.azure_base[0].application_insights_connection_string
  tags                                   = merge(local.tags, { component = "sink", zone = var.zone_names.azure })
}

# ---- train-trigger: training sets in, models out ------------------------------------------------

module "train_trigger_azure" {
  count                      = var.placement.train_trigger == "azure" ? 1 : 0
  source                     = "./modules/azure-function-app"
  name                       = "${var.name_prefix}-train"
  host_storage_account_name  = "${local.storage_prefix}train"
  resource_group_name        = module.azure_base[0].resource_group_name
  location                   = module.azure_base[0].location
  service_plan_id            = module.azure_base[0].functions_plan_id
  package_zip                = "${var.artifacts_dir}/train-trigger.zip"
  public_network_access      = false
  log_analytics_workspace_id = module.azure_base[0].log_analytics_workspace_id
  # With the lake in Azure the blob trigger reacts to uploads; with an S3 lake, whose events cannot
  # reach Azure, the timer function looks under training/ every minute instead. One is disabled.
  app_settings = merge(local.lake_settings, local.zone_settings.train_trigger, local.s3_federation_settings.train_trigger, {
    TrainingPollSchedule                    = "0 */1 * * * *"
    "AzureWebJobs.TrainOnUpload.Disabled"   = var.lake_cloud == "azure" ? "false" : "true"
    "AzureWebJobs.TrainOnSchedule.Disabled" = var.lake_cloud == "azure" ? "true" : "false"
    }, var.lake_cloud == "azure" ? {
    # The blob trigger's identity-based connection to the lake's account, and the container its path names.
    LakeStorage__blobServiceUri = local.azure_lake_blob_host
    LakeContainer               = module.azure_lake[0].container_name
  } : {})
  identity_connections                   = var.lake_cloud == "azure" ? ["LakeStorage"] : []
  key_vault_id                           = var.azure_secrets.key_vault_id
  lake_in_azure                          = var.lake_cloud == "azure"
  lake_container_id                      = var.lake_cloud == "azure" ? module.azure_lake[0].container_id : null
  lake_audit_container_id                = var.lake_cloud == "azure" ? module.azure_lake[0].audit_container_id : null
  lake_access                            = local.lake_access.train_trigger
  lake_role                              = "Storage Blob Data Owner"
  application_insights_connection_string = module.azure_base[0].application_insights_connection_string
  tags                                   = merge(local.tags, { component = "train-trigger", zone = var.zone_names.azure })
}

# ---- predict: raw samples in, predictions out ---------------------------------------------------

module "predict_aws" {
  count            = var.placement.predict == "aws" ? 1 : 0
  source           = "./modules/aws-predict-lambda"
  function_name    = "${var.name_prefix}-predict"
  package_zip      = "${var.artifacts_dir}/predict.zip"
  lake_bucket_name = module.aws_lake[0].bucket_name
  lake_bucket_arn  = module.aws_lake[0].bucket_arn
  lake_kms_key_arn = module.aws_lake[0].kms_key_arn
  trigger_prefix   = "raw/samples/"
  environment = merge(local.lake_settings, local.zone_settings.predict, {
    Predict__ChampionCheckSeconds = tostring(var.predict.champion_check_seconds)
  })
  memory_mb            = var.predict.memory_mb
  timeout_seconds      = var.predict.timeout_seconds
  collector_layer_arn  = var.telemetry.aws_collector_layer_arn
  collector_config_uri = var.telemetry.aws_collector_config_uri
  log_retention_days   = var.log_retention_days
  tags                 = merge(local.tags, { component = "predict", zone = var.zone_names.aws })
}

# ---- ratings API --------------------------------------------------------------------------------

module "ratings_api_azure" {
  count                      = var.placement.ratings_api == "azure" ? 1 : 0
  source                     = "./modules/azure-function-app"
  name                       = "${var.name_prefix}-ratings"
  host_storage_account_name  = "${local.storage_prefix}rating"
  resource_group_name        = module.azure_base[0].resource_group_name
  location                   = module.azure_base[0].location
  service_plan_id            = module.azure_base[0].functions_plan_id
  package_zip                = "${var.artifacts_dir}/ratings-api.zip"
  public_network_access      = true
  log_analytics_workspace_id = module.azure_base[0].log_analytics_workspace_id
  # Tokens from the OpenID Connect authority (its published keys); the database is PostgreSQL, its
  # connection string from Key Vault. A shared signing key is refused outside Development.
  app_settings = merge(local.lake_settings, local.zone_settings.ratings_api, local.s3_federation_settings.ratings_api, {
    Ratings__Jwt__Issuer        = var.ratings.issuer
    Ratings__Jwt__Authority     = coalesce(var.ratings.authority, var.ratings.issuer)
    Ratings__Jwt__Audience      = var.ratings.audience
    Ratings__Database__Provider = "Postgres"
    # The web page signs people in at the authority (code + PKCE) as this public client; without one it only browses.
    }, var.ratings.page_client_id == null ? {} : {
    Ratings__Jwt__PageClientId = var.ratings.page_client_id
    Ratings__Jwt__PageScope    = var.ratings.page_scope
  })
  key_vault_id = var.azure_secrets.key_vault_id
  key_vault_settings = {
    Ratings__Database__ConnectionString = var.azure_secrets.ratings_database
  }
  lake_in_azure                          = var.lake_cloud == "azure"
  lake_container_id                      = var.lake_cloud == "azure" ? module.azure_lake[0].container_id : null
  lake_audit_container_id                = var.lake_cloud == "azure" ? module.azure_lake[0].audit_container_id : null
  lake_access                            = local.lake_access.ratings_api
  application_insights_connection_string = module.azure_base[0].application_insights_connection_string
  tags                                   = merge(local.tags, { component = "ratings-api", zone = var.zone_names.azure })
}
