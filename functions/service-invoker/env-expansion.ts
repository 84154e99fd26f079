import { NonRetriableError } from '../../core/errors.ts';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env` (shell semantics: the default applies
 * when the variable is unset or empty). An unset variable without a default is a NonRetriableError:
 * retrying cannot set it.
 */
export function expandEnv(template: string, env: Readonly<Record<string, string | undefined>>, where: string): string {
  return template.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new NonRetriableError(`${where}: environment variable ${name} is not set and has no default`);
  });
}
