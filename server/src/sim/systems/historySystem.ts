// History system, priority 20, once per tick after movement: records every living player's position
// for lag compensation (combat/lagHistory.ts). Four integer writes per player.
import { Not, System } from 'ecsy';
import type { GameContext } from '../combat/gameContext.js';
import { Dead, NetworkId, PlayerControl, Position } from '../components.js';
import { column, LISTEN_MEMBERSHIP, membershipChanged } from '../queryColumns.js';

export class HistorySystem extends System {
  static override queries = {
    living: { components: [PlayerControl, NetworkId, Position, Not(Dead)], listen: LISTEN_MEMBERSHIP },
  };
  /** Each living player's components, in query order (queryColumns.ts). */
  private networks: NetworkId[] = [];
  private positions: Position[] = [];
  private game!: GameContext;

  override init(attributes?: { game?: GameContext }): void {
    if (attributes?.game === undefined) throw new Error('HistorySystem needs { game }');
    this.game = attributes.game;
  }

  execute(): void {
    const { history, tick } = this.game;
    history.begin(tick);
    const living = this.queries.living!;
    if (membershipChanged(living, this.positions.length)) {
      this.networks = column(living.results, NetworkId);
      this.positions = column(living.results, Position);
    }
    const { networks, positions } = this;
    for (let i = 0; i < positions.length; i++) {
      const network = networks[i]!;
      const position = positions[i]!;
      history.record(tick, network.id, network.generation, position.x, position.y);
    }
  }
}
