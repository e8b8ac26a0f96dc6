/** The `models.*` methods: the models screen's list, downloads, import from a file, verify, remove, load. */
import type { ModelVerification } from '../../shared/api/models';
import { ZoeError } from '../../shared/errors';
import type { HandlersOf, HostServices } from '../ipc/handlers';
import type { Studio } from '../studio/studio';
import { manifestBeside } from './layout';

export function modelHandlers(services: HostServices, studio: Studio): HandlersOf<'models'> {
  return {
    'models.list': async () => studio.overview(),

    'models.install': async ({ id }) => {
      const manager = await studio.manager();
      const summary = await studio.summaryOf(id);
      if (summary.origin !== 'catalog') throw new ZoeError('INVALID_ARGUMENT', `“${summary.title}” was imported from a file; there is nothing to download.`);
      if (summary.state === 'installed' || summary.state === 'downloading') return summary;
      studio.downloads.start({
        id,
        install: (options) => manager.install(id, options),
        onInstalled: async (model) => {
          await studio.selectIfNone(model.manifest.id);
          await studio.announceModelsChanged();
        }
      });
      return studio.summaryOf(id);
    },

    'models.cancelInstall': async ({ id }) => studio.downloads.cancel(id),

    'models.import': async () => {
      const choose = services.chooseModelFile?.bind(services);
      if (choose === undefined) {
        throw new ZoeError('INVALID_ARGUMENT', 'Zoe Studio cannot show a file chooser here; import the model with “zoe models import <file>” instead.');
      }
      const file = await choose();
      if (file === null) return null;
      const manager = await studio.manager();
      const model = await manager.import(file, await manifestBeside(file));
      await studio.selectIfNone(model.manifest.id);
      await studio.announceModelsChanged();
      return studio.summaryOf(model.manifest.id);
    },

    'models.verify': async ({ id }): Promise<ModelVerification> => {
      const report = await (await studio.manager()).verify(id);
      const tensors = (list: typeof report.inputs): ModelVerification['inputs'] => list.map((tensor) => ({ name: tensor.name, type: tensor.type, shape: [...tensor.shape] }));
      return { ...report, inputs: tensors(report.inputs), outputs: tensors(report.outputs), problems: [...report.problems] };
    },

    'models.remove': async ({ id }) => {
      const manager = await studio.manager();
      if (studio.downloads.progressOf(id) !== null) throw new ZoeError('INVALID_ARGUMENT', `The model “${id}” is being downloaded; stop the download first.`);
      await studio.releaseModel(id);
      await manager.remove(id);
      if ((await studio.settings.get()).modelId === id) await studio.settings.set({ modelId: null });
      await studio.announceModelsChanged();
      return studio.overview();
    },

    'models.load': async ({ id }) => {
      const model = await (await studio.manager()).resolve(id);
      return studio.loadModel(model, (await studio.settings.get()).device);
    }
  };
}
