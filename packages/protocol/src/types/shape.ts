/**
 * Type-level helpers that let the compiler prove runtime tables (property lists, enum value lists)
 * match the hand-written protocol types exactly.
 */

/** `true` when `A` and `B` are the same type (invariant comparison), else `false`. */
export type Equal<A, B> =
  (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`; used for static assertions. */
export type Assert<T extends true> = T;

/** Keys of `T` that are not optional. */
export type RequiredKeys<T> = {
  [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? K : never;
}[keyof T];

/** Keys of `T` that are optional. */
export type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/** `unknown` when list `L` names every member of `All`, else an object type naming the missing ones. */
export type CoversAll<All, L extends readonly unknown[]> = [Exclude<All, L[number]>] extends [never]
  ? unknown
  : { readonly missing: Exclude<All, L[number]> };

/** The first member of `L` that occurs again later in `L`, or `never`. */
export type FirstDuplicate<L extends readonly unknown[]> = L extends readonly [infer H, ...infer R]
  ? H extends R[number]
    ? H
    : FirstDuplicate<R>
  : never;

/** `unknown` when list `L` has no duplicate, else an object type naming the first duplicate. */
export type NoDuplicates<L extends readonly unknown[]> = [FirstDuplicate<L>] extends [never]
  ? unknown
  : { readonly duplicate: FirstDuplicate<L> };

/** Exactly the members of union `All`, each once, in any order; otherwise a type error. */
export type ExhaustiveList<All, L extends readonly unknown[]> = L &
  CoversAll<All, L> &
  NoDuplicates<L>;

/** Runtime description of an object definition: its property names and required property names. */
export type DefinitionShape = {
  readonly properties: readonly string[];
  readonly required: readonly string[];
};

/** A `DefinitionShape` whose lists are typed by the keys of `T`. */
export type ShapeOf<T> = {
  readonly properties: readonly (keyof T & string)[];
  readonly required: readonly (RequiredKeys<T> & string)[];
};

/**
 * Builds the shape of object type `T`. `properties` must list exactly `keyof T` and `required` exactly
 * `RequiredKeys<T>`, each key once; anything else fails to compile.
 */
export function shape<T>() {
  return <
    const P extends readonly (keyof T & string)[],
    const R extends readonly (RequiredKeys<T> & string)[],
  >(s: {
    readonly properties: ExhaustiveList<keyof T & string, P>;
    readonly required: ExhaustiveList<RequiredKeys<T> & string, R>;
  }): { readonly properties: P; readonly required: R } => s;
}

/** Checks that `values` lists exactly the members of the literal union `T`, each once, and returns it. */
export function enumOf<T extends string | number>() {
  return <const V extends readonly T[]>(values: ExhaustiveList<T, V>): V => values;
}
