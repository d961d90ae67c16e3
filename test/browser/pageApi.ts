// Drives a test page from the test process. A page under test/browser/pages/ puts one API object on
// `window` under a name of its own; pageApi() returns a stand-in whose methods call that object's
// methods in the page (through page.evaluate) and resolve with their JSON-like results.
import type { Page } from 'playwright-core';

export type PageApi<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

type ExposedApis = Record<string, Record<string, (...args: unknown[]) => unknown>>;

export function pageApi<Api extends object>(page: Page, globalName: string): PageApi<Api> {
  return new Proxy({} as PageApi<Api>, {
    get(_target, method) {
      // Not a thenable: `await pageApi(...)` must not call a page method named "then".
      if (typeof method !== 'string' || method === 'then') return undefined;
      return (...args: unknown[]) =>
        page.evaluate(
          ([name, member, values]) => (window as unknown as ExposedApis)[name]![member]!(...values),
          [globalName, method, args] as const,
        );
    },
  });
}
