// Defence in depth: whatever a provider or ffmpeg puts in a message, no API key from the
// environment ever reaches a report, a log line or the run history.
const SECRET_VARS = /(_API_KEY|_TOKEN|_SECRET)$/;

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_VARS.test(name)) out = out.split(value).join('[redacted]');
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]');
}
