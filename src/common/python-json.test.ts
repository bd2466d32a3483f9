import { describe, expect, it } from "vitest";
import { PythonFloat, pythonFloatRepr, pythonJsonDumps } from "./python-json.js";

describe("pythonJsonDumps", () => {
  it("writes Python json.dumps separators, insertion order and keeps non-ASCII", () => {
    expect(pythonJsonDumps({ command: "ls -la", b: [1, 2, { c: null }], z: true, é: "naïve ’quote’" })).toBe(
      '{"command": "ls -la", "b": [1, 2, {"c": null}], "z": true, "é": "naïve ’quote’"}',
    );
  });

  it("escapes control characters and quotes like Python", () => {
    expect(pythonJsonDumps('a"b\\c\nd\te\u0001')).toBe('"a\\"b\\\\c\\nd\\te\\u0001"');
  });

  it("prints floats the Python way", () => {
    expect(pythonJsonDumps({ t: 0.5, big: 1e21, small: 1e-7 })).toBe(
      '{"t": 0.5, "big": 1e+21, "small": 1e-07}',
    );
    expect(pythonJsonDumps(new PythonFloat(120))).toBe("120.0");
    expect(pythonFloatRepr(1e16)).toBe("1e+16");
    expect(pythonFloatRepr(123456789012345.6)).toBe("123456789012345.6");
  });

  it("omits undefined object values and handles empty containers", () => {
    expect(pythonJsonDumps({ a: undefined, b: {}, c: [] })).toBe('{"b": {}, "c": []}');
  });
});
