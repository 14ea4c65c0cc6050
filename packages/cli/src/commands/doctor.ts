import { Flags } from '@oclif/core';
import { doctorFailure, doctorLines, LLM_PURPOSES, probeLlmEndpoint, type DoctorReport, type LlmPurpose } from '@dnr/core';
import { BaseCommand } from '../base-command.js';

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Check the configured LLM endpoint: one tiny request per purpose.';
  static override description =
    'For classification, entity extraction and the comms llm engine (each with its own model, temperature, output-token limit ' +
    'and request settings) sends one tiny request to OPENAI_BASE_URL (default api.openai.com) with the key from ' +
    'classification.env_key_var, and prints the model, which token-limit parameter and JSON mode work, whether usage comes back, ' +
    'the latency and what the probe cost. What works is saved in the cache folder, so runs start with it. ' +
    'Exits 2 when a purpose fails (with --json the per-purpose results are under error.details).';
  static override examples = [
    { description: 'Probe all three purposes (the key may also be in .env).', command: 'OPENAI_API_KEY=sk-your-key <%= config.bin %> doctor' },
    {
      description:
        'A local model, priced at $0 for the cost guard (every model needs a price). First start the server and point dnr at it, e.g. for Ollama: ' +
        '`ollama pull llama3.1:8b`, `export OPENAI_BASE_URL=http://localhost:11434/v1` (Ollama ignores the key, but one must be set).',
      command: `OPENAI_API_KEY=ollama DNR_CLASSIFICATION__MODEL=llama3.1:8b DNR_PRICING='{"llama3.1:8b":{"input_per_mtok":0,"output_per_mtok":0}}' <%= config.bin %> doctor --purpose classify`,
    },
    'OPENAI_API_KEY=sk-your-key <%= config.bin %> doctor --json',
  ];

  static override flags = {
    purpose: Flags.string({ description: 'Probe only this purpose (repeatable). Default: all three.', multiple: true, options: [...LLM_PURPOSES] }),
  };

  public async run(): Promise<DoctorReport> {
    const resolved = this.resolveConfig();
    const report = await probeLlmEndpoint(resolved, (this.flags.purpose as LlmPurpose[] | undefined) ?? LLM_PURPOSES);
    for (const line of doctorLines(report)) this.log(line);
    if (!report.ok) throw doctorFailure(report);
    return report;
  }
}
