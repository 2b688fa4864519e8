/** For the config tests: the ConfigError a file's text is refused with. */
import { ConfigError } from './config-error.js';
import { parseConfigText } from './load.js';

export function errorOf(text: string): ConfigError {
  try {
    parseConfigText('portico.yaml', text);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
