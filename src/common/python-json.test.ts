import { describe, expect, it } from "vitest";
import { PythonFloat, parsePythonJson, pythonFloatRepr, pythonJsonDumps } from "./python-json.js";

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

describe("parsePythonJson", () => {
  it("keeps floats floats, so dumping gives back Python's text", () => {
    const text = '{"a": 1.0, "b": [2, 3.50, -1e5], "s": "1.0 in a string", "n": {"x": 0.25}}';
    const value = parsePythonJson(text);
    expect(pythonJsonDumps(value)).toBe(
      '{"a": 1.0, "b": [2, 3.5, -100000.0], "s": "1.0 in a string", "n": {"x": 0.25}}',
    );
    expect(pythonJsonDumps(parsePythonJson('{"command":"ls","timeout":30}'))).toBe(
      '{"command": "ls", "timeout": 30}',
    );
  });

  it("is JSON.parse for invalid input and for integer-like keys", () => {
    expect(() => parsePythonJson("{bad")).toThrow(SyntaxError);
    expect(parsePythonJson('{"2": 1.0, "1": 2}')).toEqual({ 1: 2, 2: 1 });
    expect(parsePythonJson('"quote \\" 1.5"')).toBe('quote " 1.5');
  });
});
