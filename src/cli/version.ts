// dist/cli/version.js and src/cli/version.ts both sit two folders below package.json
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = (require('../../package.json') as { version: string }).version;
