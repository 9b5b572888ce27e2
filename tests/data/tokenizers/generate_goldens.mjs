// Generates the golden encodings the C++ tokenizers are checked against, with Hugging Face's
// own `tokenizers` library (npm package pinned in package.json; it works offline).
//   cd tests/data/tokenizers && npm install && node generate_goldens.mjs [SHARED_DIR]
// Reads corpus.json and the tokenizers in SHARED_DIR (default ../../../../shared) and
// writes goldens/<name>.json: per corpus string the ids with and without special tokens,
// HF's offsets (in Unicode scalar values, as the binding reports them), the special-token
// mask, plus a set of sentence pairs with their type ids.
//
// Tokenizers that ship no tokenizer.json are rebuilt here from their files the way
// transformers' converters do it (convert_slow_tokenizer.py):
//   gpt2 (vocab.json + merges.txt)  -> GPT2Converter: byte-level BPE, ByteLevel post-processor
//   llama3 tokenizer.model, cl100k_base.tiktoken (tiktoken ranks) -> TikTokenConverter:
//     ranks become a byte-level vocab, merges come from every split of a token into two
//     ranked pieces ordered by the merged token's rank, the tiktoken regex becomes an
//     isolated Split before a regex-less ByteLevel; llama3 adds <|begin_of_text|>.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';
import { SYNTHETIC } from './synthetic_pipelines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const shared = path.resolve(process.argv[2] ?? path.join(here, '../../../../shared'));

export const TIKTOKEN_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

function bytesToUnicode() {
  const bs = [];
  for (let b = 33; b <= 126; ++b) bs.push(b);
  for (let b = 161; b <= 172; ++b) bs.push(b);
  for (let b = 174; b <= 255; ++b) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; ++b) {
    if (!bs.includes(b)) { bs.push(b); cs.push(256 + n); ++n; }
  }
  const map = new Array(256);
  bs.forEach((b, i) => { map[b] = String.fromCodePoint(cs[i]); });
  return map;
}
const byteChar = bytesToUnicode();
const byteString = (bytes) => Array.from(bytes, (b) => byteChar[b]).join('');

function addedToken(id, content, special = true) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special };
}

function gpt2FromVocabMerges(dir) {
  const vocab = JSON.parse(readFileSync(path.join(dir, 'vocab.json'), 'utf8'));
  const merges = readFileSync(path.join(dir, 'merges.txt'), 'utf8').split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#version'));
  const added = '<|endoftext|>' in vocab ? [addedToken(vocab['<|endoftext|>'], '<|endoftext|>')] : [];
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
             fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

function tiktokenRanks(file) {
  const ranks = new Map(); // latin1 string of the token's bytes -> rank
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const [b64, rank] = line.split(' ');
    ranks.set(Buffer.from(b64, 'base64').toString('latin1'), Number(rank));
  }
  return ranks;
}

function tiktokenTokenizer(file, specials, postProcessor) {
  const ranks = tiktokenRanks(file);
  const str = (latin1) => byteString(Buffer.from(latin1, 'latin1'));
  const vocab = {};
  let merges = [];
  for (const [token, rank] of ranks) {
    vocab[str(token)] = rank;
    if (token.length === 1) continue;
    const local = [];
    for (let i = 1; i < token.length; ++i) {
      const left = token.slice(0, i), right = token.slice(i);
      if (ranks.has(left) && ranks.has(right)) local.push([left, right, rank]);
    }
    local.sort((a, b) => ranks.get(a[0]) - ranks.get(b[0]) || ranks.get(a[1]) - ranks.get(b[1]));
    merges.push(...local);
  }
  merges.sort((a, b) => a[2] - b[2]); // stable: keeps the per-token order
  merges = merges.map(([l, r]) => [str(l), str(r)]);
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: specials.map(([content, id]) => addedToken(id, content)),
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: TIKTOKEN_PATTERN }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    post_processor: postProcessor,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
             fuse_unk: false, byte_fallback: false, ignore_merges: true, vocab, merges },
  };
}

export function llama3Specials() {
  const names = ['<|begin_of_text|>', '<|end_of_text|>', '<|reserved_special_token_0|>',
    '<|reserved_special_token_1|>', '<|reserved_special_token_2|>', '<|reserved_special_token_3|>',
    '<|start_header_id|>', '<|end_header_id|>', '<|reserved_special_token_4|>', '<|eot_id|>'];
  for (let i = 5; i < 256 - 5; ++i) names.push(`<|reserved_special_token_${i}|>`);
  return names.map((name, i) => [name, 128000 + i]);
}

const CL100K_SPECIALS = [['<|endoftext|>', 100257], ['<|fim_prefix|>', 100258], ['<|fim_middle|>', 100259],
  ['<|fim_suffix|>', 100260], ['<|endofprompt|>', 100276]];

const bos = (token, id) => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: token, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [{ SpecialToken: { id: token, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
         { SpecialToken: { id: token, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: { [token]: { id: token, ids: [id], tokens: [token] } },
});

const tokenizers = {
  'bert-base-uncased': () => Tokenizer.fromFile(path.join(shared, 'tokenizers/bert-base-uncased/tokenizer.json')),
  'roberta-base': () => Tokenizer.fromFile(path.join(shared, 'tokenizers/roberta-base/tokenizer.json')),
  'llama2': () => Tokenizer.fromFile(path.join(shared, 'tokenizers/llama2/tokenizer.json')),
  'phi-3-mini': () => Tokenizer.fromFile(path.join(shared, 'tokenizers/phi-3-mini/tokenizer.json')),
  't5-small': () => Tokenizer.fromFile(path.join(shared, 'tokenizers/t5-small/tokenizer.json')),
  'stories260K': () => Tokenizer.fromFile(path.join(shared, 'models/stories260K/tokenizer.json')),
  'gpt2': () => Tokenizer.fromString(JSON.stringify(gpt2FromVocabMerges(path.join(shared, 'tokenizers/gpt2')))),
  'llama3': () => Tokenizer.fromString(JSON.stringify(tiktokenTokenizer(
    path.join(shared, 'tokenizers/llama3/tokenizer.model'), llama3Specials(), bos('<|begin_of_text|>', 128000)))),
  'cl100k_base': () => Tokenizer.fromString(JSON.stringify(tiktokenTokenizer(
    path.join(shared, 'tokenizers/cl100k_base/cl100k_base.tiktoken'), CL100K_SPECIALS,
    { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }))),
};

const SPECIALS = { llama3: llama3Specials(), cl100k_base: CL100K_SPECIALS };

// Sentence pairs: indices into the corpus.
const PAIRS = [[0, 1], [1, 2], [2, 3], [5, 6], [10, 30], [40, 50], [60, 70], [100, 120], [150, 151],
  [200, 210], [220, 230], [250, 260], [17, 0], [0, 17], [300, 301], [310, 320], [330, 340], [350, 360]];

// HF renumbers added tokens into the first free ids when it loads a tokenizer, so cl100k's
// <|endoftext|> (100257, after a hole at 100256) would come out as 100256. The goldens keep
// the true tiktoken ids: HF's ids are mapped back through the special tokens' contents.
function trueIdMap(tokenizer, specials) {
  const map = new Map();
  for (const [content, id] of specials ?? []) map.set(tokenizer.tokenToId(content), id);
  return (ids) => ids.map((id) => map.get(id) ?? id);
}

async function encodeCorpus(tokenizer, corpus, specials) {
  const fix = trueIdMap(tokenizer, specials);
  const cases = [];
  for (const text of corpus) {
    const full = await tokenizer.encode(text, null, { addSpecialTokens: true });
    const plain = await tokenizer.encode(text, null, { addSpecialTokens: false });
    cases.push({ ids: fix(full.getIds()), offsets: full.getOffsets(), special: full.getSpecialTokensMask(),
                 plain_ids: fix(plain.getIds()), plain_offsets: plain.getOffsets() });
  }
  const pairs = [];
  for (const [a, b] of PAIRS) {
    const e = await tokenizer.encode(corpus[a], corpus[b], { addSpecialTokens: true });
    pairs.push({ a, b, ids: fix(e.getIds()), type_ids: e.getTypeIds(), offsets: e.getOffsets() });
  }
  return { cases, pairs };
}

function writeGolden(file, header, cases, pairs) {
  const lines = [header, '"cases": ['];
  cases.forEach((c, i) => lines.push(JSON.stringify(c) + (i + 1 < cases.length ? ',' : '')));
  lines.push('], "pairs": [');
  pairs.forEach((p, i) => lines.push(JSON.stringify(p) + (i + 1 < pairs.length ? ',' : '')));
  lines.push(']}');
  writeFileSync(file, lines.join('\n') + '\n');
}

// The shared tokenizer.json (or the gpt2 files) a synthetic pipeline keeps the model of.
function baseTokenizerJson(base, arrayMerges) {
  const json = base === 'gpt2' ? gpt2FromVocabMerges(path.join(shared, 'tokenizers/gpt2'))
                               : JSON.parse(readFileSync(path.join(shared, base), 'utf8'));
  if (arrayMerges) json.model.merges = json.model.merges.map((m) => m.split(' '));
  return json;
}

const corpus = JSON.parse(readFileSync(path.join(here, 'corpus.json'), 'utf8'));
mkdirSync(path.join(here, 'goldens'), { recursive: true });
for (const [name, make] of Object.entries(tokenizers)) {
  const { cases, pairs } = await encodeCorpus(make(), corpus, SPECIALS[name]);
  writeGolden(path.join(here, 'goldens', `${name}.json`),
              `{"tokenizer": ${JSON.stringify(name)}, "corpus_size": ${corpus.length},`, cases, pairs);
  console.log(`${name}: ${cases.length} strings, ${pairs.length} pairs`);
}

mkdirSync(path.join(here, 'goldens', 'synthetic'), { recursive: true });
for (const [name, spec] of Object.entries(SYNTHETIC)) {
  const json = { ...baseTokenizerJson(spec.base, spec.arrayMerges), ...spec.override };
  const { cases, pairs } = await encodeCorpus(Tokenizer.fromString(JSON.stringify(json)), corpus);
  const header = `{"tokenizer": ${JSON.stringify(name)}, "base": ${JSON.stringify(spec.base)}, ` +
    `"array_merges": ${!!spec.arrayMerges}, "override": ${JSON.stringify(spec.override)},`;
  writeGolden(path.join(here, 'goldens', 'synthetic', `${name}.json`), header, cases, pairs);
  console.log(`synthetic ${name}: ${cases.length} strings`);
}
