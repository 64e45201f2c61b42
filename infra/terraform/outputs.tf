output "zones" {
  description = "The trust zone of each placed function and of the lake; data moving between different zones is audited under audit/."
  value       = merge({ for f, cloud in var.placement : f => local.zone_settings[f].Zone__Name if cloud != "none" }, { lake = local.lake_zone })
}

output "lake" {
  description = "Where the lake is: s3://<bucket> or the Blob container URL."
  value       = var.lake_cloud == "aws" ? "s3://${module.aws_lake[0].bucket_name}" : module.azure_lake[0].container_url
}

output "predict_function_name" {
  description = "Name of the predict Lambda, or null when predict is not placed on aws."
  value       = one(module.predict_aws[*].function_name)
}

output "predict_failed_events_queue_url" {
  description = "SQS queue holding S3 events whose predict invocation failed after every retry (e.g. an object that is not valid Parquet)."
  value       = one(module.predict_aws[*].failed_events_queue_url)
}

output "ratings_api_hostname" {
  description = "Host name of the ratings API, or null when it is not placed."
  value       = one(module.ratings_api_azure[*].default_hostname)
}

output "function_apps" {
  description = "Names of the Azure Function Apps by function."
  value = merge(
    { for m in module.sink_azure : "sink" => m.name },
    { for m in module.train_trigger_azure : "train_trigger" => m.name },
    { for m in module.ratings_api_azure : "ratings_api" => m.name },
  )
}

output "bridge" {
  description = "Where the bridge runs: the ECS service or the Container App, or null when ingest is not placed."
  value = try(
    "ecs:${module.ingest_aws[0].cluster_name}/${module.ingest_aws[0].service_name}",
    "containerapp:${module.ingest_azure[0].container_app_name}",
    null,
  )
}

output "s3_lake_roles" {
  description = "IAM roles the Azure functions assume with their managed identities to reach the S3 lake, by function."
  value       = { for f, m in module.s3_lake_access : f => m.role_arn }
}
