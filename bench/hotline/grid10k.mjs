// bench/hotline/grid10k.mjs OUT [SIDE] - a SIDE x SIDE unit grid (default 100:
// 10,000 cells) over Xuhui's rough extent as GeoJSON for `ywtb import grids`,
// for bench/hotline.sh's point-in-polygon figure.  Codes 310104 + street (3) +
// community (3) + sequence (3): one "street" per row of cells.
import fs from 'node:fs';
const [out, sideArg] = process.argv.slice(2);
const side = Number(sideArg || 100);
const LAT = [31.10, 31.24], LNG = [121.39, 121.49];
const dlat = (LAT[1] - LAT[0]) / side, dlng = (LNG[1] - LNG[0]) / side;
const pad = (n) => String(n).padStart(3, '0');
const features = [];
for (let r = 0; r < side; r++)
  for (let k = 0; k < side; k++) {
    const lat0 = LAT[0] + r * dlat, lng0 = LNG[0] + k * dlng;
    const ring = [[lng0, lat0], [lng0 + dlng, lat0], [lng0 + dlng, lat0 + dlat], [lng0, lat0 + dlat], [lng0, lat0]]
      .map(([x, y]) => [+x.toFixed(7), +y.toFixed(7)]);
    const code = `310104${pad(r + 1)}001${pad(k + 1)}`;
    features.push({ type: 'Feature', id: code, properties: { code, street: `bench-street-${pad(r + 1)}`, community: 'bench', name: `cell ${r + 1}-${k + 1}` },
      geometry: { type: 'Polygon', coordinates: [ring] } });
  }
fs.writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features }));
console.log(features.length);
