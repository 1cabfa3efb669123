export { tapPlugin } from './tapPlugin.js';
export type { TapPlugin, TapPluginOptions } from './tapPlugin.js';
export { createApp } from './createApp.js';
export { startServer } from './startServer.js';
export { connectRedis } from './store/connectRedis.js';
export { parseConfig } from './config/parseConfig.js';
export type { AppConfig } from './config/AppConfig.js';
export type { AuthMethod } from './methods/AuthMethod.js';
