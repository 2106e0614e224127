import type { Command } from 'commander';
import {
  checkSettingValue,
  configFilePath,
  isSettingKey,
  loadSettings,
  readConfigFile,
  SETTING_KEYS,
  SETTINGS,
  writeConfigFile,
} from '../../config.js';
import { InvalidError } from '../../domain/errors.js';
import { color, println } from '../output.js';

function unknownKey(key: string): InvalidError {
  return new InvalidError(`Unknown setting '${key}'. Valid settings: ${SETTING_KEYS.join(', ')}.`);
}

export function registerConfig(program: Command): void {
  const group = program.command('config').description('View and change settings (stored in $BATON_HOME/config.json)');

  group
    .command('set <assignments...>')
    .description('Set settings: baton config set KEY=VALUE …')
    .action((assignments: string[]) => {
      const file = configFilePath(process.env);
      const values = readConfigFile(file);
      const problems: string[] = [];
      const updates: [string, string][] = [];
      for (const assignment of assignments) {
        const eq = assignment.indexOf('=');
        if (eq <= 0) {
          problems.push(`'${assignment}' is not KEY=VALUE`);
          continue;
        }
        const key = assignment.slice(0, eq).trim();
        const value = assignment.slice(eq + 1);
        if (key === 'BATON_HOME') {
          problems.push('BATON_HOME cannot be set in the config file (it says where the file is); set it in the environment');
          continue;
        }
        if (!isSettingKey(key)) throw unknownKey(key);
        const problem = checkSettingValue(key, value);
        if (problem) problems.push(`${key}: ${problem}`);
        else updates.push([key, value]);
      }
      if (problems.length > 0) throw new InvalidError(`Nothing was changed: ${problems.join('; ')}.`);
      for (const [key, value] of updates) {
        values[key] = value;
        println(`Set '${key}' to '${value}'.`);
        if (process.env[key] !== undefined && process.env[key] !== '') {
          println(color.yellow(`${key} is also set in the environment, which takes precedence over the config file.`));
        }
      }
      writeConfigFile(file, values);
      println(`Updated config file '${file}'.`);
    });

  group
    .command('unset <keys...>')
    .description('Remove settings from the config file')
    .action((keys: string[]) => {
      const file = configFilePath(process.env);
      const values = readConfigFile(file);
      for (const key of keys) {
        if (!isSettingKey(key)) throw unknownKey(key);
      }
      for (const key of keys) {
        if (key in values) {
          delete values[key];
          println(`Unset '${key}'.`);
        } else {
          println(`'${key}' was not set in the config file.`);
        }
      }
      writeConfigFile(file, values);
      println(`Updated config file '${file}'.`);
    });

  group
    .command('view')
    .description('Show the settings in effect')
    .option('--show-sources', 'show where each value comes from')
    .option('--show-defaults', 'also show settings left at their default')
    .action((opts: { showSources?: boolean; showDefaults?: boolean }) => {
      const { settings, sources, configFile } = loadSettings(process.env);
      println(`BATON_HOME='${settings.BATON_HOME}'${opts.showSources ? color.dim(' (from env or default)') : ''}`);
      println(color.dim(`config file: ${configFile}`));
      for (const key of SETTING_KEYS) {
        const source = sources[key];
        if (source === 'default' && !opts.showDefaults && key !== 'BATON_API_URL') continue;
        const value = key === 'BATON_DATABASE_PATH' ? settings.BATON_DATABASE_PATH : settings[key as Exclude<typeof key, 'BATON_DATABASE_PATH'>];
        const suffix = opts.showSources ? color.dim(` (from ${source === 'file' ? 'config file' : source})`) : '';
        println(`${key}='${value ?? ''}'${suffix}`);
      }
      if (opts.showDefaults) {
        println();
        for (const key of SETTING_KEYS) println(color.dim(`# ${key}: ${SETTINGS[key].description}`));
      }
    });
}
