output "zones" {
  description = "Trust zone of each function and of the lake."
  value       = module.wine.zones
}

output "lake" {
  description = "Where the lake is."
  value       = module.wine.lake
}

output "ratings_api_hostname" {
  description = "Host name of the ratings API."
  value       = module.wine.ratings_api_hostname
}

output "predict_failed_events_queue_url" {
  description = "Queue of S3 events predict could not handle (e.g. invalid Parquet)."
  value       = module.wine.predict_failed_events_queue_url
}

output "s3_lake_roles" {
  description = "IAM roles the Azure functions assume with their managed identities to reach the S3 lake."
  value       = module.wine.s3_lake_roles
}
