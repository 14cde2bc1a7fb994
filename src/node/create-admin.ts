import type { Kysely } from 'kysely';
import { createInterface } from 'node:readline';
import { createUser, findUserByEmail, normalizeEmail } from '~/server/accounts/users.ts';
import { passwordProblem } from '~/server/auth/password.ts';
import type { Database } from '~/server/db/schema.ts';
import { UsageError } from './usage-error.ts';

/** English texts for the password rules, for the command line. */
const PASSWORD_PROBLEMS = {
  'password.tooShort': 'the password must have at least 8 characters',
  'password.tooLong': 'the password must have at most 128 characters',
  'password.onlySpaces': 'a password made only of spaces is not accepted',
  'password.common': 'this password is on a list of commonly used passwords; choose another',
  'password.guessable': 'this password is too easy to guess (a common word, name, date, sequence or keyboard pattern); use a longer one, e.g. several unrelated words',
} as const;


/**
 * Creates the first administrator (or another one). Production has no default
 * account; this is how the first one comes to exist.
 */
export async function createAdmin(
  db: Kysely<Database>,
  input: { email: string; name: string; password: string },
): Promise<string> {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`not an email address: ${input.email}`);
  if (!input.name.trim()) throw new UsageError('--name must not be empty');
  const problem = passwordProblem(input.password);
  if (problem) throw new UsageError(PASSWORD_PROBLEMS[problem]);
  if (await findUserByEmail(db, email)) throw new UsageError(`an account with ${email} already exists`);
  return createUser(db, { email, password: input.password, displayName: input.name, role: 'admin', townId: null, language: 'en' });
}

/**
 * Reads the password: from standard input when it is piped, otherwise from a
 * prompt that does not echo what is typed.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write(prompt);
  // Swallow the echo of each keystroke.
  (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => terminal.question('', resolve));
  terminal.close();
  process.stdout.write('\n');
  return answer;
}
