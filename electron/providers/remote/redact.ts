// The one redactor: keeps API keys out of everything a user or a log can see — error messages,
// journal lines, run reports, the editor. One rule everywhere: the exact values of the run's own
// secrets (its environment, including keys the editor stored) plus generic credential patterns.
// Every string that may echo a URL, a header or a gateway body passes through here.

const MASK = '***';

/** Patterns that look like credentials whatever the gateway (a proxy may echo our headers back). */
const GENERIC: RegExp[] = [
  /(\bBearer\s+)(?!\$)[^\s"',;]+/gi, // a literal $VAR in advice text stays readable
  // "Bearer …" values are left to the pattern above, so "Bearer ***" stays readable.
  /(\b(?:api[_-]?key|access[_-]?token|authorization|x-api-key)["']?\s*[:=]\s*["']?)(?!Bearer\s)(?!\$)[^\s"',;&]+/gi,
  /(\/\/[^/\s:@]+:)[^/\s@]+(?=@)/g, // user:password@ in a URL
];

export type Redactor = (text: string) => string;

/** A redactor for the given secrets (exact values) plus the generic credential patterns. */
export function makeRedactor(secrets: (string | undefined)[]): Redactor {
  // Short values would mask ordinary words; a real key is long, and the generic patterns still apply.
  const exact = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const s of exact) out = out.split(s).join(MASK);
    for (const re of GENERIC) out = out.replace(re, `$1${MASK}`);
    return out;
  };
}

/** Variables whose values are secrets: gateway keys, bearer tokens, anything named like one. */
const SECRET_VARS = /(_API_KEY|_KEY|_TOKEN|_SECRET|_PASSWORD)$/;

/** The secret values of an environment (a run's own, with the keys the editor stored). */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => !!value && SECRET_VARS.test(name))
    .map(([, value]) => value!);
}

/** The redactor for a run: its environment's secrets plus the generic patterns. */
export function redactorForEnv(env: NodeJS.ProcessEnv): Redactor {
  return makeRedactor(secretsOf(env));
}

/** Generic patterns only, for places that do not know the key (the journal). */
export const redactCredentials: Redactor = makeRedactor([]);

/** Returns the same error with its message and stack redacted (identity and class are kept). */
export function redactError<E>(err: E, redact: Redactor): E {
  if (err instanceof Error) {
    err.message = redact(err.message);
    if (err.stack) err.stack = redact(err.stack);
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause !== err) redactError(cause, redact);
  }
  return err;
}
