import { encodeModel, float32Bytes, FLOAT, INT64 } from './onnx';
import { mulberry32 as random } from '../../src/core/seeded-random';

/**
 * A tiny but real sentence-embedding model for tests, built from nothing: a 16-dimension
 * embedding table over ~150 words in ten topics (words of one topic are close, of different
 * topics nearly orthogonal), a one-node ONNX graph (Gather) giving `last_hidden_state`, a BERT
 * config and a WordPiece tokenizer (lowercase, whitespace split, [CLS] … [SEP]). transformers.js
 * does the mean pooling and normalization itself; `referenceEmbedding` computes the same here.
 * Pure: no file system (see write.ts).
 */

export const TINY_MODEL_ID = 'parley/tiny-embedder';
export const DIMS = 16;

export const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

/** Topic words; topic i owns dimension i. */
export const TOPICS: Record<string, string[]> = {
  animals: ['cat', 'cats', 'dog', 'dogs', 'kitten', 'puppy', 'pet', 'pets', 'animal', 'animals', 'vet', 'leash'],
  weather: ['rain', 'snow', 'storm', 'cloud', 'clouds', 'weather', 'sunny', 'wind', 'forecast', 'umbrella', 'temperature'],
  cooking: ['bread', 'flour', 'oven', 'bake', 'baking', 'recipe', 'dough', 'yeast', 'kitchen', 'cook', 'cooking'],
  space: ['planet', 'planets', 'star', 'stars', 'rocket', 'orbit', 'moon', 'telescope', 'astronaut', 'galaxy', 'mars'],
  music: ['guitar', 'piano', 'song', 'songs', 'melody', 'music', 'chord', 'concert', 'band', 'violin'],
  computing: ['code', 'software', 'compiler', 'bug', 'program', 'computer', 'database', 'server', 'browser', 'index', 'query'],
  money: ['bank', 'money', 'invoice', 'payment', 'price', 'tax', 'budget', 'salary', 'loan', 'cost'],
  health: ['doctor', 'medicine', 'hospital', 'patient', 'fever', 'vaccine', 'nurse', 'health', 'pain'],
  travel: ['train', 'flight', 'airport', 'hotel', 'ticket', 'passport', 'journey', 'travel', 'luggage', 'trip'],
  garden: ['garden', 'flower', 'flowers', 'tree', 'trees', 'soil', 'seed', 'seeds', 'plant', 'plants', 'water'],
};

/** Common words: a small shared direction, so they barely move a sentence's vector. */
export const FUNCTION_WORDS = [
  'the', 'a', 'an', 'is', 'are', 'was', 'be', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'it', 'this',
  'that', 'what', 'how', 'why', 'where', 'when', 'which', 'who', 'do', 'does', 'i', 'you', 'we', 'my', 'your', 'can', 'not',
  '.', ',', '?', '!', ':',
];

const FUNCTION_DIM = 10;
const UNK_DIM = 11;
const SPECIAL_DIM = 12;

/** Token → id: specials first, then topic words, then function words. */
export function vocabulary(): Map<string, number> {
  const words = [...SPECIALS, ...Object.values(TOPICS).flat(), ...FUNCTION_WORDS];
  const vocab = new Map<string, number>();
  for (const w of words) if (!vocab.has(w)) vocab.set(w, vocab.size);
  return vocab;
}


function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The embedding table, row-major [vocab size, DIMS], exactly representable in float32. */
export function embeddingTable(vocab = vocabulary()): Float32Array {
  const table = new Float32Array(vocab.size * DIMS);
  const topicOf = new Map<string, number>();
  Object.values(TOPICS).forEach((words, t) => words.forEach((w) => topicOf.set(w, t)));
  const functionWords = new Set(FUNCTION_WORDS);
  for (const [word, id] of vocab) {
    const row = table.subarray(id * DIMS, (id + 1) * DIMS);
    if (word === '[PAD]') continue;
    const next = random(hash(word));
    const noise = (scale: number) => {
      for (let d = 0; d < DIMS; d++) row[d] = row[d]! + (next() * 2 - 1) * scale;
    };
    const topic = topicOf.get(word);
    if (topic !== undefined) {
      noise(0.2);
      row[topic] = row[topic]! + 1;
    } else if (functionWords.has(word)) {
      noise(0.03);
      row[FUNCTION_DIM] = row[FUNCTION_DIM]! + 0.25;
    } else if (word === '[UNK]') {
      row[UNK_DIM] = 0.25;
    } else {
      row[SPECIAL_DIM] = 0.1; // [CLS], [SEP]
    }
  }
  return Float32Array.from(table, (x) => Math.fround(x));
}

/** Lowercase, then split like the Whitespace pre-tokenizer (`\w+|[^\w\s]+`). */
export function preTokenize(text: string): string[] {
  return text.toLowerCase().match(/\w+|[^\w\s]+/g) ?? [];
}

/** Token ids as the tokenizer gives them: [CLS] words… [SEP], unknown words as [UNK]. */
export function tokenIds(text: string, vocab = vocabulary()): number[] {
  const unk = vocab.get('[UNK]')!;
  return [vocab.get('[CLS]')!, ...preTokenize(text).map((w) => vocab.get(w) ?? unk), vocab.get('[SEP]')!];
}

/** What feature-extraction with mean pooling and normalize must give: the normalized mean of the rows. */
export function referenceEmbedding(text: string, vocab = vocabulary(), table = embeddingTable(vocab)): Float32Array {
  const ids = tokenIds(text, vocab);
  const sum = new Float64Array(DIMS);
  for (const id of ids) for (let d = 0; d < DIMS; d++) sum[d]! += table[id * DIMS + d]!;
  const norm = Math.hypot(...sum);
  return Float32Array.from(sum, (x) => x / norm);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** The ONNX file: input_ids, attention_mask (int64 [batch, sequence]) → Gather → last_hidden_state. */
export function onnxModel(vocab = vocabulary(), table = embeddingTable(vocab)): Uint8Array {
  return encodeModel({
    graphName: 'tiny_embedder',
    initializers: [{ name: 'embeddings.word_embeddings.weight', dataType: FLOAT, dims: [vocab.size, DIMS], raw: float32Bytes(table) }],
    nodes: [{ opType: 'Gather', name: 'embed', inputs: ['embeddings.word_embeddings.weight', 'input_ids'], outputs: ['last_hidden_state'], intAttrs: { axis: 0 } }],
    inputs: [
      { name: 'input_ids', elemType: INT64, shape: ['batch_size', 'sequence_length'] },
      // Not used by the graph (the pipeline pools with it), but BERT models take it and the pipeline sends it.
      { name: 'attention_mask', elemType: INT64, shape: ['batch_size', 'sequence_length'] },
    ],
    outputs: [{ name: 'last_hidden_state', elemType: FLOAT, shape: ['batch_size', 'sequence_length', DIMS] }],
  });
}

export function configJson(vocab = vocabulary()): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: DIMS,
    num_attention_heads: 1,
    num_hidden_layers: 0,
    intermediate_size: DIMS,
    max_position_embeddings: 512,
    vocab_size: vocab.size,
    type_vocab_size: 1,
    pad_token_id: 0,
  };
}

export function tokenizerJson(vocab = vocabulary()): Record<string, unknown> {
  const special = (content: string) => ({ id: vocab.get(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const token = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]')],
      pair: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [vocab.get(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}

export function tokenizerConfigJson(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    clean_up_tokenization_spaces: true,
  };
}

/** Every file of the model, by its path inside the model folder (the layout of a Hugging Face repo). */
export function tinyEmbedderFiles(): Map<string, Uint8Array> {
  const vocab = vocabulary();
  const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x, null, 1));
  return new Map([
    ['config.json', json(configJson(vocab))],
    ['tokenizer.json', json(tokenizerJson(vocab))],
    ['tokenizer_config.json', json(tokenizerConfigJson())],
    ['onnx/model.onnx', onnxModel(vocab)],
  ]);
}
