export { BaseCommand, type CommandFlags, type CommandArgs, type FlagLayer } from './base-command.js';
