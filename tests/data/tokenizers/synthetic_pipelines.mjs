// Pipelines that no shared tokenizer uses, built on a shared model so every component of
// tokenizer.json is checked against Hugging Face too. Each entry: the shared tokenizer.json
// (or gpt2 legacy files) whose model is kept, and the top-level fields replaced.
const bert = 'tokenizers/bert-base-uncased/tokenizer.json';
const t5 = 'tokenizers/t5-small/tokenizer.json';
const gpt2 = 'gpt2';
const added = (id, content, flags = {}) => ({ id, content, single_word: false, lstrip: false, rstrip: false,
  normalized: false, special: false, ...flags });
const bertSpecials = [added(0, '[PAD]', { special: true }), added(100, '[UNK]', { special: true }),
  added(101, '[CLS]', { special: true }), added(102, '[SEP]', { special: true }), added(103, '[MASK]', { special: true })];

const eot = (typeId) => ({ SpecialToken: { id: '<|endoftext|>', type_id: typeId } });
const seq = (id, typeId) => ({ Sequence: { id, type_id: typeId } });

export const SYNTHETIC = {
  'nfkc-lowercase-whitespace': { base: bert, override: {
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
    pre_tokenizer: { type: 'Whitespace' } } },
  'nfd-stripaccents-strip-punctuation-digits': { base: bert, override: {
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' },
      { type: 'Strip', strip_left: true, strip_right: true }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' },
      { type: 'Punctuation', behavior: 'Isolated' }, { type: 'Digits', individual_digits: true }] } } },
  'nfc-replace-regex-split-merged-previous': { base: bert, override: {
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' },
      { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
      { type: 'Digits', individual_digits: false }] } } },
  'nfkd-split-merged-next-contiguous-bertprocessing': { base: bert, override: {
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKD' }, { type: 'Lowercase' },
      { type: 'Strip', strip_left: true, strip_right: false }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: '\\s' }, behavior: 'MergedWithNext', invert: false },
      { type: 'Split', pattern: { Regex: '[^\\w\\s]' }, behavior: 'Contiguous', invert: false },
      { type: 'WhitespaceSplit' }] },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] } } },
  'split-removed-inverted': { base: bert, override: {
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: false, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'Split', pattern: { Regex: '\\w+|[^\\w\\s]+' }, behavior: 'Removed', invert: true },
    added_tokens: [...bertSpecials, added(30522, 'hello', { single_word: true }), added(30523, 'xyz', { lstrip: true, rstrip: true })] } },
  'bytelevel-prefix-space-added-tokens': { base: gpt2, override: {
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', 50256], cls: ['<|endoftext|>', 50256],
      trim_offsets: true, add_prefix_space: true },
    added_tokens: [added(50256, '<|endoftext|>', { special: true }), added(50257, '<mask>', { lstrip: true, special: true }),
      added(50258, 'world', { single_word: true, normalized: true }), added(50259, '[SEP]', { rstrip: true })] } },
  'bytelevel-array-merges-template': { base: gpt2, arrayMerges: true, override: {
    post_processor: { type: 'TemplateProcessing',
      single: [eot(0), seq('A', 0), eot(0)],
      pair: [eot(0), seq('A', 0), eot(0), seq('B', 1), eot(1)],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } } } } },
  'metaspace-first-nfkc': { base: t5, override: {
    normalizer: { type: 'NFKC' },
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: true },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: true } } },
  'metaspace-never-nosplit': { base: t5, override: {
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKD' }, { type: 'StripAccents' }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' },
      { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: false }] } } },
  // Qwen2 / Qwen2.5 / Qwen3: NFC, the tiktoken-style regex with single digits as an isolated
  // Split, then a regex-less ByteLevel (their tokenizer.json, on GPT-2's model).
  'qwen2-nfc-split-single-digits-bytelevel': { base: gpt2, override: {
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" },
        behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false }] },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false } } },
  // GPT-NeoX / Pythia: NFC before GPT-2-style byte-level BPE with offsets trimmed.
  'gpt-neox-nfc-bytelevel': { base: gpt2, override: {
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true } } },
};
