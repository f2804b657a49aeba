/** The console's deployment calls in a template (lib/console-site.ts), each parsed, its deploy-time values as `TOKEN`. */
import { resourcesOfType, type Json } from './synth';

export function consoleCalls(json: Json): Json[] {
  return Object.values(resourcesOfType(json, 'Custom::AWS')).map((resource) => {
    const create = resource.Properties.Create;
    const text = typeof create === 'string' ? create : (create['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    return JSON.parse(text) as Json;
  });
}
