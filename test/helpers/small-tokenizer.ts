/**
 * A small byte-level BPE tokenizer in Hugging Face's `tokenizer.json` format, with the Qwen chat special tokens,
 * for tests (the real Qwen3 tokenizer is 11 MB and not shipped). Byte-level like Qwen's: every text encodes.
 */
export function smallTokenizerJson(merges: readonly string[] = ["t h", "th e", "Ġ the", "i n", "Ġ in"]) {
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  const specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"];
  specials.forEach((token, id) => {
    vocab[token] = id;
  });
  for (const char of byteChars) vocab[char] = Object.keys(vocab).length;
  for (const merge of merges) vocab[merge.replace(" ", "")] = Object.keys(vocab).length;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [...merges],
    },
  };
}

/** GPT-2's reversible map from bytes to printable characters. */
function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const chars: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    chars[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return chars;
}
