// Reads a GEXF file with graphology-gexf (the parser Gephi Lite uses) and prints what it found as JSON.
// Usage: node read_gexf.js FILE.gexf [NODE_ID...]
"use strict";
const fs = require("fs");
const { MultiGraph } = require("graphology");
const gexf = require("graphology-gexf");

const [file, ...wanted] = process.argv.slice(2);
const graph = gexf.parse(MultiGraph, fs.readFileSync(file, "utf-8"));
const nodes = {};
for (const id of wanted) nodes[id] = graph.hasNode(id) ? graph.getNodeAttributes(id) : null;
const kinds = {};
graph.forEachEdge((edge, attrs) => { kinds[attrs.kind] = (kinds[attrs.kind] || 0) + 1; });
process.stdout.write(JSON.stringify({
  type: graph.type, order: graph.order, size: graph.size, nodes, kinds,
  positioned: graph.filterNodes((id, a) => Number.isFinite(a.x) && Number.isFinite(a.y)).length,
  coloured: graph.filterNodes((id, a) => typeof a.color === "string" && a.color !== "").length,
  sized: graph.filterNodes((id, a) => Number.isFinite(a.size) && a.size > 0).length,
}) + "\n");
