// JSON files (the map under assets/maps) are imported as untyped data: parseTiledMap checks them at
// run time. Typing them here keeps them out of the TypeScript program (and its rootDir).
declare module '*.json' {
  const value: unknown;
  export default value;
}
