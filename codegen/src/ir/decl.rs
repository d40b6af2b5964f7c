//! Declarations as written in one `.d.ts` file: the output of `parse::dts`.
//!
//! Nothing here is resolved: a [`TypeExpr::Ref`] holds the name as written, to be looked up
//! through the module's own imports by `resolve`.

use crate::diag::Loc;

/// One declaration file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeclModule {
    /// Path relative to the package's types root without the `.d.ts` suffix (`b2b/passwords_session`).
    pub path: String,
    /// Path of the file relative to the package root, for diagnostics.
    pub file: String,
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    /// Declarations inside a namespace have qualified names (`ChatCompletion.Choice`).
    pub decls: Vec<Decl>,
    /// Constructs not read (module augmentations, `import x = require()`): what and where.
    pub skipped: Vec<(String, Loc)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The name bound in this module.
    pub local: String,
    pub imported: Imported,
    /// The module specifier as written (`"../shared"`, `"undici"`).
    pub from: String,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Named(String),
    Default,
    Namespace,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    /// `export * from "./x"`.
    All { from: String, loc: Loc },
    /// `export * as ns from "./x"`.
    Namespace { name: String, from: String, loc: Loc },
    /// `export { a as b } from "./x"` (`from: Some`) or `export { a as b }` (`from: None`).
    Named { local: String, exported: String, from: Option<String>, loc: Loc },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    pub name: String,
    pub exported: bool,
    pub doc: Option<String>,
    pub loc: Loc,
    /// Names of generic parameters (`interface Page<T>`).
    pub generics: Vec<String>,
    /// Their defaults (`interface Page<T = Item>`), one per parameter (empty when none has one).
    pub defaults: Vec<Option<TypeExpr>>,
    pub kind: DeclKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    Interface(ObjectType),
    Alias(TypeExpr),
    Class(Class),
    /// `enum E { A = "a" }`: members with their string values (numeric ones keep the number text).
    Enum(Vec<(String, String)>),
    /// Functions, variables and other declarations with no data meaning.
    Other(&'static str),
}

/// An interface body or an object literal type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectType {
    pub extends: Vec<TypeExpr>,
    pub props: Vec<Prop>,
    /// `[key: string]: V`.
    pub index: Option<Box<TypeExpr>>,
    /// Members with no data meaning (methods, call signatures): what and where, for a warning.
    pub skipped: Vec<(String, Loc)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    /// The wire name, unquoted (`x5tS256`, `"https://example.com/claim"`).
    pub name: String,
    pub optional: bool,
    pub ty: TypeExpr,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    String,
    Number,
    Boolean,
    Any,
    Unknown,
    Null,
    Undefined,
    Void,
    Never,
    /// The `object` keyword.
    Object,
    StringLit(String),
    NumberLit(String),
    BoolLit(bool),
    Array(Box<TypeExpr>),
    Tuple(Vec<TypeExpr>),
    Union(Vec<TypeExpr>),
    Intersection(Vec<TypeExpr>),
    /// A named type as written (`Member`, `Record`, `shared.Foo`), with its type arguments.
    Ref { name: String, args: Vec<TypeExpr>, loc: Loc },
    Literal(Box<ObjectType>),
    /// `T["a"]` (a field's type) or `T[number]` (an array's item type).
    Indexed { object: Box<TypeExpr>, index: Box<TypeExpr>, loc: Loc },
    /// Something with no data meaning (function types, `typeof x`, mapped types, ...).
    Unsupported { what: String, loc: Loc },
    /// A type argument already lowered where it was written, substituted for a type parameter
    /// when a generic declaration is instantiated (never produced by the parser): the Rust type
    /// and whether it admits `null`.
    Lowered(crate::ir::space::Ty, bool),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Class {
    pub extends: Option<TypeExpr>,
    /// Public instance fields (`users: Users;`).
    pub fields: Vec<Prop>,
    pub methods: Vec<Method>,
    /// Members with no data meaning or not public: what and where.
    pub skipped: Vec<(String, Loc)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub name: String,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub optional: bool,
    pub ty: Option<TypeExpr>,
}
