/** The package version, read from package.json at build time by the bundler. */
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
