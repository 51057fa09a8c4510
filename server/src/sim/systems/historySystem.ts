// History system, priority 20, once per tick after movement: records every living player's position
// for lag compensation (combat/lagHistory.ts). Four integer writes per player.
import { Not, System } from 'ecsy';
import type { GameContext } from '../combat/gameContext.js';
import { Dead, NetworkId, PlayerControl, Position } from '../components.js';

export class HistorySystem extends System {
  static override queries = { living: { components: [PlayerControl, NetworkId, Position, Not(Dead)] } };
  private game!: GameContext;

  override init(attributes?: { game?: GameContext }): void {
    if (attributes?.game === undefined) throw new Error('HistorySystem needs { game }');
    this.game = attributes.game;
  }

  execute(): void {
    const { history, tick } = this.game;
    history.begin(tick);
    const living = this.queries.living!.results;
    for (let i = 0; i < living.length; i++) {
      const entity = living[i]!;
      const network = entity.getComponent(NetworkId)!;
      const position = entity.getComponent(Position)!;
      history.record(tick, network.id, network.generation, position.x, position.y);
    }
  }
}
