output "zones" {
  description = "Trust zone of each function and of the lake."
  value       = module.wine.zones
}

output "lake" {
  description = "URL of the lake container."
  value       = module.wine.lake
}

output "function_apps" {
  description = "Names of the Function Apps."
  value       = module.wine.function_apps
}

output "ratings_api_hostname" {
  description = "Host name of the ratings API."
  value       = module.wine.ratings_api_hostname
}

output "bridge" {
  description = "The bridge's Container App."
  value       = module.wine.bridge
}
