// Error codes → what the user can do about them. Gateways word their errors differently, so each
// maps its codes to a shared category here and the advice is written once (docs/gateways.md §1.11).

export type ErrorCategory =
  | 'sensitive_text'
  | 'real_face'
  | 'copyright'
  | 'input_media_rejected'
  | 'output_moderation'
  | 'auth'
  | 'overdue'
  | 'access_denied'
  | 'model_not_activated'
  | 'rate_limit'
  | 'quota'
  | 'spend_cap'
  | 'invalid_parameter'
  | 'server';

export const ADVICE: Record<ErrorCategory, string> = {
  sensitive_text:
    'The moderation filter refused the prompt text. Rephrase it (avoid violence, sexual content, real public figures and brand names) and run again.',
  real_face:
    'Seedance 2.x refuses images or videos that show a real human face. Use a generated character (your own Seedance outputs from the last 30 days are accepted), a preset virtual avatar as an asset:// id, or an authorised real-person asset.',
  copyright:
    'The moderation filter thinks an input may be copyrighted material. Replace that image, video or audio with your own.',
  input_media_rejected:
    'The gateway could not use one of the input media. Check its format, size and duration against the Seedance limits.',
  output_moderation:
    'The finished video (or its audio) was blocked by output moderation. Failed tasks are not billed: change the prompt, or the seed for another take, and run again.',
  auth: 'The API key was refused. Check that the key in the environment is current and belongs to this gateway.',
  overdue: 'Your account has an overdue balance. Top it up in the console, then run again.',
  access_denied:
    'This API key may not use this model or endpoint. If the key has "Custom" permissions, allow the Seedance model for it in the console.',
  model_not_activated:
    'The model is not activated for your account, or the model id does not exist on this gateway. Activate it in the console, or check the model name.',
  rate_limit:
    'The gateway is rate-limiting this account. Shotgraph already retried with backoff; run again in a minute, or lower --concurrency.',
  quota:
    'The account hit a quota: the trial allowance is used up, or too many tasks are queued. Wait for queued tasks to finish or add balance, then run again.',
  spend_cap:
    'The model was paused by Safe Experience Mode because your spending cap was reached. Raise the cap or turn the mode off in the console.',
  invalid_parameter: 'The gateway refused a parameter of this shot. Fix the field it names and run again.',
  server: 'The gateway had an internal problem. Nothing was billed for a failed task; run again later.',
};

export function adviceFor(
  category: ErrorCategory,
  overrides: Partial<Record<ErrorCategory, string>> = {},
): string {
  return overrides[category] ?? ADVICE[category];
}

/** Ark/ModelArk codes (exact codes and families), most specific first. */
const ARK_RULES: [RegExp, ErrorCategory][] = [
  [/^(Input(Image|Video)SensitiveContentDetected\.PrivacyInformation)$/, 'real_face'],
  [/^Input(Image|Video|Audio)SensitiveContentDetected\.PolicyViolation$/, 'copyright'],
  [/^Input(Image|Video|Audio)SensitiveContentDetected/, 'real_face'],
  [/^Output(Video|Audio)SensitiveContentDetected/, 'output_moderation'],
  [/^(InputText)?SensitiveContentDetected/, 'sensitive_text'],
  [/^(AuthenticationError|InvalidAccountStatus)/, 'auth'],
  [/^(AccountOverdueError|OperationDenied\.ServiceOverdue)/, 'overdue'],
  [
    /^OperationDenied\.ServiceNotOpen|^ModelNotOpen|^InvalidEndpointOrModel|^InvalidEndpoint/,
    'model_not_activated',
  ],
  [/^AccessDenied/, 'access_denied'],
  [/^SetLimitExceeded/, 'spend_cap'],
  [/^QuotaExceeded/, 'quota'],
  [/RateLimitExceeded|^RequestBurstTooFast|^ServerOverloaded|^InflightBatchsizeExceeded/, 'rate_limit'],
  [/^(InvalidParameter|MissingParameter)/, 'invalid_parameter'],
  [/^InternalServiceError/, 'server'],
];

export function arkCategory(code: string | undefined, status?: number): ErrorCategory | undefined {
  if (code) for (const [re, cat] of ARK_RULES) if (re.test(code)) return cat;
  return categoryForStatus(status);
}

/** Fallback when a gateway gives no code we know. */
export function categoryForStatus(status: number | undefined): ErrorCategory | undefined {
  if (status === 401) return 'auth';
  if (status === 403) return 'access_denied';
  if (status === 429) return 'rate_limit';
  if (status !== undefined && status >= 500) return 'server';
  return undefined;
}
