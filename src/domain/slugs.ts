import { randomInt } from 'node:crypto';

/** Prefect-style run names: adjective-animal (`crimson-pony`). */
const ADJECTIVES = [
  'amber', 'ancient', 'bold', 'brave', 'bright', 'brisk', 'calm', 'clever', 'cosmic', 'crimson', 'curious', 'daring',
  'dapper', 'eager', 'electric', 'emerald', 'fancy', 'fearless', 'flying', 'gentle', 'gilded', 'glowing', 'golden',
  'granite', 'happy', 'hidden', 'humble', 'icy', 'indigo', 'jolly', 'keen', 'lively', 'lucky', 'lunar', 'magnetic',
  'mellow', 'merry', 'mighty', 'misty', 'nimble', 'noble', 'olive', 'opal', 'patient', 'polar', 'proud', 'quick',
  'quiet', 'rapid', 'royal', 'ruby', 'rustic', 'sage', 'sapphire', 'scarlet', 'silent', 'silver', 'smart', 'solar',
  'sparkling', 'steady', 'stellar', 'stoic', 'sturdy', 'swift', 'tidy', 'tireless', 'topaz', 'tranquil', 'vivid',
  'warm', 'wise', 'witty', 'zealous',
];
const ANIMALS = [
  'albatross', 'antelope', 'badger', 'beaver', 'bison', 'bobcat', 'buffalo', 'camel', 'caribou', 'cheetah', 'condor',
  'cougar', 'coyote', 'crane', 'dolphin', 'eagle', 'elk', 'falcon', 'ferret', 'finch', 'flamingo', 'fox', 'gazelle',
  'gecko', 'gibbon', 'gopher', 'heron', 'hippo', 'husky', 'ibis', 'impala', 'jackal', 'jaguar', 'kestrel', 'koala',
  'lemur', 'leopard', 'lion', 'llama', 'lynx', 'marmot', 'mink', 'moose', 'narwhal', 'newt', 'ocelot', 'octopus',
  'orca', 'osprey', 'otter', 'owl', 'panda', 'panther', 'parrot', 'pelican', 'penguin', 'pony', 'puffin', 'quail',
  'rabbit', 'raven', 'reindeer', 'robin', 'salmon', 'seal', 'shark', 'sparrow', 'stork', 'swan', 'tapir', 'tiger',
  'toucan', 'turtle', 'viper', 'walrus', 'weasel', 'whale', 'wolf', 'wombat', 'yak', 'zebra',
];

export function generateSlug(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}
