// Debian's node ships its headers in /usr/include/node; point node-gyp there so
// native addons (better-sqlite3) build offline. pnpm 12 ignores nodedir in .npmrc.
module.exports = {
  hooks: {
    updateConfig(config) {
      config.extraEnv = { ...(config.extraEnv || {}), npm_config_nodedir: process.env.npm_config_nodedir || '/usr' };
      return config;
    },
  },
};
