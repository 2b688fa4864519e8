/** A config file that cannot be used: names the file, the line and path of the bad field, and why. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly path: string;
  readonly reason: string;

  constructor(file: string, path: string, reason: string, line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${path === '' ? '' : `${path}: `}${reason}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.path = path;
    this.reason = reason;
  }
}
