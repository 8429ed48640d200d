// dist/ and src/ both sit one folder below package.json
export const VERSION: string = (require('../package.json') as { version: string }).version;
