// The tests start Linux servers (mosquitto from Debian's packages) and use Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
