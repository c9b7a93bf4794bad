// The explicit-resource-management names our declarations use (`await using session = ...`).
// TypeScript only knows them with `lib: esnext.disposable` (or esnext) or with @types/node, and
// a plain `tsc --strict --module nodenext` project has neither: TypeScript 7 and 5.9 without
// @types/node then fail with "Cannot find name 'AsyncDisposable'". These global declarations
// are the same ones @types/node and lib.esnext.disposable make, so they merge with either
// without conflict and make the SDK's types compile alone.
export {}

declare global {
  interface SymbolConstructor {
    /** The method `await using` calls when the scope ends. */
    readonly asyncDispose: unique symbol
  }

  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>
  }
}
